//! SQL spellings shared by the stores' search compilers.

use roster_domain::search::LevelCondition;

/// A proficiency level condition as SQL: a comparison of `level` with one value, or a
/// closed range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelTest {
    /// `level <op> value`
    Compare(&'static str, f64),
    /// `level BETWEEN low AND high`
    Between(f64, f64),
}

/// The SQL test of `level` that `l` asks for.
pub fn level_test(l: LevelCondition) -> LevelTest {
    match l {
        LevelCondition::GreaterOrEqual(v) => LevelTest::Compare(">=", v),
        LevelCondition::Greater(v) => LevelTest::Compare(">", v),
        LevelCondition::LesserOrEqual(v) => LevelTest::Compare("<=", v),
        LevelCondition::Lesser(v) => LevelTest::Compare("<", v),
        LevelCondition::Equal(v) => LevelTest::Compare("=", v),
        LevelCondition::NotEqual(v) => LevelTest::Compare("<>", v),
        LevelCondition::Range(lo, hi) => LevelTest::Between(lo, hi),
    }
}
