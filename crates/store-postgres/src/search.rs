//! SearchUsers in SQL: the condition tree compiled to one WHERE clause over `users`,
//! each leaf a subquery or comparison that an index answers (tags, proficiencies,
//! security profiles, hierarchy paths, lowered names, the trigram indexes of names).
//! Results come in (lowered username, id) order, one page at a time, with the total
//! count taken in the same snapshot (the caller runs both in one REPEATABLE READ,
//! READ ONLY transaction).
//!
//! The semantics are those of the embedded store: names compare lowered; EXACT is
//! equality, STARTS_WITH a range on the column (every text column uses the "C"
//! collation, so ranges are in code point order), CONTAINS a `LIKE '%needle%'` with
//! `%`, `_` and `\` escaped, which `pg_trgm`'s GIN indexes answer for needles of three
//! characters or more.

use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch,
};
use roster_domain::InstanceRef;
use roster_store::sql::{level_test, LevelTest};
use roster_store::{SearchPage, SearchRequest};
use tokio_postgres::types::ToSql;

use crate::db::{query, query_one, Tx};
use crate::error::Result;
use crate::scope;
use crate::users::{columns, from_row};

/// SQL text with its positional parameters.
#[derive(Default)]
struct Sql {
    text: String,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Sql {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn bind<T: ToSql + Sync + Send + 'static>(&mut self, v: T) {
        self.params.push(Box::new(v));
        self.text.push_str(&format!("${}", self.params.len()));
    }
    fn param_refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

/// The smallest string greater than every string starting with `prefix`, in code
/// point order.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// A `LIKE` pattern matching any string that contains `needle`, under the default
/// escape character `\`.
fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// `column` compared with a string condition. `column` is lowered already when the
/// field is case-insensitive (the matcher's value is too).
fn compare(sql: &mut Sql, column: &str, m: &StringMatch) {
    match m.comparison {
        Comparison::Exact => {
            sql.push(&format!("{column} = "));
            sql.bind(m.value.clone());
        }
        Comparison::StartsWith => {
            sql.push(&format!("({column} >= "));
            sql.bind(m.value.clone());
            sql.push(&format!(" AND {column} < "));
            sql.bind(prefix_end(&m.value));
            sql.push(")");
        }
        Comparison::Contains => {
            sql.push(&format!("{column} LIKE "));
            sql.bind(contains_pattern(&m.value));
        }
    }
}

fn condition(sql: &mut Sql, c: &Condition, instance_id: &str) {
    match c {
        Condition::All => sql.push("TRUE"),
        Condition::And(cs) | Condition::Or(cs) if cs.is_empty() => {
            sql.push(if matches!(c, Condition::And(_)) {
                "TRUE"
            } else {
                "FALSE"
            })
        }
        Condition::And(cs) | Condition::Or(cs) => {
            let op = if matches!(c, Condition::And(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push("(");
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    sql.push(op);
                }
                condition(sql, c, instance_id);
            }
            sql.push(")");
        }
        Condition::String { field, matcher } => match field {
            StringField::Username => compare(sql, "u.username_lower", matcher),
            StringField::FirstName => compare(sql, "u.first_name_lower", matcher),
            StringField::LastName => compare(sql, "u.last_name_lower", matcher),
            StringField::RoutingProfileId => compare(sql, "u.routing_profile_id", matcher),
            StringField::ResourceId => compare(sql, "u.id", matcher),
            StringField::SecurityProfileId => {
                sql.push("u.id IN (SELECT user_id FROM user_security_profiles WHERE ");
                compare(sql, "security_profile_id", matcher);
                sql.push(")");
            }
        },
        Condition::Hierarchy {
            group_id,
            matching: HierarchyMatch::Exact,
        } => {
            sql.push("u.hierarchy_group_id = ");
            sql.bind(group_id.clone());
        }
        Condition::Hierarchy {
            group_id,
            matching: HierarchyMatch::WithChildGroups,
        } => {
            // The group and those whose path runs through it: path = P or P/…
            // ('/' < '0' bounds the range of paths under P).
            sql.push(
                "u.hierarchy_group_id IN (SELECT g.id FROM hierarchy_groups p JOIN hierarchy_groups g \
                 ON g.instance_id = p.instance_id AND (g.id = p.id OR (g.path > p.path || '/' AND g.path < p.path || '0')) \
                 WHERE p.id = ",
            );
            sql.bind(group_id.clone());
            sql.push(" AND p.instance_id = ");
            sql.bind(instance_id.to_string());
            sql.push(")");
        }
        Condition::Proficiency(conds) => {
            sql.push("u.id IN (SELECT user_id FROM user_proficiencies WHERE instance_id = ");
            sql.bind(instance_id.to_string());
            for pc in conds {
                sql.push(" AND ");
                match pc {
                    ProficiencyCondition::AttributeName(m) => compare(sql, "attribute_name", m),
                    ProficiencyCondition::AttributeValue(m) => compare(sql, "attribute_value", m),
                    ProficiencyCondition::Level(l) => level(sql, *l),
                }
            }
            sql.push(")");
        }
        Condition::Tag { key, value } => {
            sql.push("u.id IN (SELECT resource_id FROM tags WHERE instance_id = ");
            sql.bind(instance_id.to_string());
            sql.push(" AND resource_kind = 'user' AND key = ");
            sql.bind(key.clone());
            if let Some(v) = value {
                sql.push(" AND value = ");
                sql.bind(v.clone());
            }
            sql.push(")");
        }
    }
}

fn level(sql: &mut Sql, l: LevelCondition) {
    match level_test(l) {
        LevelTest::Compare(op, v) => {
            sql.push(&format!("level {op} "));
            sql.bind(v);
        }
        LevelTest::Between(lo, hi) => {
            sql.push("level BETWEEN ");
            sql.bind(lo);
            sql.push(" AND ");
            sql.bind(hi);
        }
    }
}

/// The WHERE clause selecting the instance's users that match.
fn matching(at: &InstanceRef, c: &Condition) -> Sql {
    let mut sql = Sql::default();
    sql.push(" WHERE u.instance_id = ");
    sql.bind(at.instance_id.clone());
    sql.push(" AND ");
    condition(&mut sql, c, &at.instance_id);
    sql
}

pub(crate) async fn search(
    tx: &Tx<'_>,
    at: &InstanceRef,
    request: &SearchRequest,
) -> Result<SearchPage> {
    scope::check(tx, at).await?;
    let filter = matching(at, &request.condition);

    let count_sql = format!("SELECT count(*) FROM users u{}", filter.text);
    let total: i64 = query_one(tx, &count_sql, &filter.param_refs())
        .await?
        .try_get(0)?;

    let mut page = filter;
    if let Some(after) = &request.after {
        page.push(" AND (u.username_lower, u.id) > (");
        page.bind(after.username_lower.clone());
        page.push(", ");
        page.bind(after.id.clone());
        page.push(")");
    }
    page.push(" ORDER BY u.username_lower, u.id LIMIT ");
    page.bind(i64::try_from(request.limit).unwrap_or(i64::MAX));
    let page_sql = format!("SELECT {} FROM users u{}", columns(), page.text);
    let rows = query(tx, &page_sql, &page.param_refs()).await?;
    let users = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    Ok(SearchPage {
        users,
        total: total.max(0) as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges_cover_every_continuation() {
        let end = prefix_end("ab");
        for s in ["ab", "abc", "ab\u{FFFF}", "abzzzz"] {
            assert!(s >= "ab" && s < end.as_str(), "{s}");
        }
        assert!("ac" >= end.as_str());
    }

    #[test]
    fn contains_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("ab"), "%ab%");
        assert_eq!(contains_pattern("a_b%c\\d"), "%a\\_b\\%c\\\\d%");
    }

    #[test]
    fn conditions_compile_to_numbered_parameters() {
        let at = InstanceRef {
            scope: roster_domain::Scope {
                account_id: "123456789012".into(),
                region: "us-east-1".into(),
            },
            instance_id: "i".into(),
        };
        let c = Condition::Or(vec![
            Condition::String {
                field: StringField::Username,
                matcher: StringMatch::new("f", Comparison::StartsWith, "Ab", true).unwrap(),
            },
            Condition::Tag {
                key: "k".into(),
                value: None,
            },
            Condition::And(vec![]),
        ]);
        let sql = matching(&at, &c);
        assert_eq!(
            sql.text,
            " WHERE u.instance_id = $1 AND ((u.username_lower >= $2 AND u.username_lower < $3) OR \
             u.id IN (SELECT resource_id FROM tags WHERE instance_id = $4 AND resource_kind = 'user' AND key = $5) OR TRUE)"
        );
        assert_eq!(sql.params.len(), 5);
    }
}
