//! SearchUsers in SQL.
//!
//! The condition tree is compiled into a query that yields the lowered usernames of
//! the matching users (the result order), driven by one index range:
//!
//! - a condition on the user's own columns (names, routing profile, id, own group) is
//!   a predicate on `users`, read through the covering index SQLite picks for it (or
//!   the trigram index for CONTAINS of three characters or more);
//! - a tag, security profile, "group or below" or proficiency condition is a range of
//!   the search postings (`search_terms`, `search_proficiencies`), which end with the
//!   username and so come out in result order;
//! - `And` is driven by its most selective child (by the kind of condition), and its
//!   other children are probed per candidate by primary-key lookups;
//! - `Or` is the union of its children.
//!
//! The count is `count(*)` over the same query; the page reads it from the cursor on
//! and stops at the limit, then loads those users. Both run in one read snapshot.

use std::collections::HashMap;

use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch,
};
use roster_domain::user::User;
use roster_domain::InstanceRef;
use roster_store::sql::{level_test, LevelTest};
use roster_store::{SearchPage, SearchRequest};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::scope;
use crate::users::{from_columns, COLUMNS};

/// The rank of a condition that no index narrows: every user of the instance is read.
const SCAN: u8 = 9;

/// Whether `c` tests only columns of the user's own row.
fn is_row(c: &Condition) -> bool {
    match c {
        Condition::All => true,
        Condition::And(cs) | Condition::Or(cs) => cs.iter().all(is_row),
        Condition::String { field, .. } => *field != StringField::SecurityProfileId,
        Condition::Hierarchy { matching, .. } => *matching == HierarchyMatch::Exact,
        Condition::Proficiency(_) | Condition::Tag { .. } => false,
    }
}

fn is_trigram(m: &StringMatch) -> bool {
    m.comparison == Comparison::Contains && m.value.chars().count() >= 3
}

/// How selective the index that answers `c` usually is: lower is narrower. It picks
/// which child of an `And` drives the query.
fn rank(c: &Condition) -> u8 {
    use Comparison::*;
    use StringField::*;
    match c {
        Condition::All => SCAN,
        Condition::And(cs) => cs.iter().map(rank).min().unwrap_or(SCAN),
        Condition::Or(cs) => cs.iter().map(rank).max().unwrap_or(0),
        Condition::String { field, matcher } => match (field, matcher.comparison) {
            (Username | ResourceId, Exact) => 0,
            (FirstName | LastName, Exact) => 1,
            (Username | FirstName | LastName, StartsWith) => 2,
            (RoutingProfileId | SecurityProfileId, Exact) => 3,
            (RoutingProfileId | SecurityProfileId | ResourceId, StartsWith) => 4,
            (Username | FirstName | LastName, Contains) if is_trigram(matcher) => 5,
            (SecurityProfileId, Contains) => 7,
            _ => SCAN,
        },
        Condition::Hierarchy { matching, .. } => match matching {
            HierarchyMatch::Exact => 3,
            HierarchyMatch::WithChildGroups => 4,
        },
        Condition::Proficiency(conds) => {
            let exact = |want: fn(&ProficiencyCondition) -> Option<&StringMatch>| {
                conds.iter().filter_map(want).any(|m| m.comparison == Exact)
            };
            match (exact(name_of), exact(value_of)) {
                (true, true) => 3,
                (true, false) => 5,
                _ => 7,
            }
        }
        Condition::Tag { value, .. } => {
            if value.is_some() {
                3
            } else {
                6
            }
        }
    }
}

fn name_of(c: &ProficiencyCondition) -> Option<&StringMatch> {
    match c {
        ProficiencyCondition::AttributeName(m) => Some(m),
        _ => None,
    }
}

fn value_of(c: &ProficiencyCondition) -> Option<&StringMatch> {
    match c {
        ProficiencyCondition::AttributeValue(m) => Some(m),
        _ => None,
    }
}

/// The smallest string greater than every string starting with `prefix`, in
/// SQLite's binary (code point) order.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// An FTS5 query for `needle` as a substring of one column of `users_fts`.
fn trigram_query(column: &str, needle: &str) -> String {
    format!("{{{column}}} : \"{}\"", needle.replace('"', "\"\""))
}

/// Builds the SQL text; parameters are numbered (`?N`), so pieces may be assembled in
/// any order. `?1` is the instance id, `?2` its number in the postings.
struct Compiler<'db> {
    params: Vec<Value>,
    aliases: usize,
    /// Where the children of an `And` are counted to choose its driver.
    conn: &'db Connection,
}

/// The most users counted to choose the driver of an `And`.
const ESTIMATE_CAP: usize = 20_000;

impl<'db> Compiler<'db> {
    fn new(conn: &'db Connection, instance_id: &str, number: i64) -> Self {
        Compiler {
            params: vec![Value::from(instance_id.to_string()), Value::from(number)],
            aliases: 0,
            conn,
        }
    }

    fn bind(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    /// Orders the source `t` and takes a page of `limit` after the cursor `after`.
    fn page_tail(&mut self, after: Option<String>, limit: usize) -> String {
        let after = match after {
            Some(key) => format!("WHERE t.k > {}", self.bind(key)),
            None => String::new(),
        };
        format!("{after} ORDER BY t.k LIMIT {}", self.bind(limit as i64))
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("s{}", self.aliases)
    }

    /// `column` compared with a string condition (the column is lowered already when
    /// the field is case-insensitive, as the value is).
    fn compare(&mut self, column: &str, m: &StringMatch) -> String {
        match m.comparison {
            Comparison::Exact => format!("{column} = {}", self.bind(m.value.clone())),
            Comparison::StartsWith => {
                let lo = self.bind(m.value.clone());
                let hi = self.bind(prefix_end(&m.value));
                format!("({column} >= {lo} AND {column} < {hi})")
            }
            Comparison::Contains => format!("instr({column}, {}) > 0", self.bind(m.value.clone())),
        }
    }

    /// A predicate over the `users` row `x`. As a source, a CONTAINS of three
    /// characters or more goes through the trigram index; as a per-row test it is a
    /// plain substring check.
    fn row(&mut self, c: &Condition, source: bool) -> String {
        match c {
            Condition::All => "1".into(),
            Condition::And(cs) => self.row_list(cs.iter(), " AND ", source),
            Condition::Or(cs) => self.row_list(cs.iter(), " OR ", source),
            Condition::String { field, matcher } => {
                let column = match field {
                    StringField::Username => "username_lower",
                    StringField::FirstName => "first_name_lower",
                    StringField::LastName => "last_name_lower",
                    StringField::RoutingProfileId => "routing_profile_id",
                    StringField::ResourceId => "id",
                    StringField::SecurityProfileId => unreachable!("not a column of users"),
                };
                let test = self.compare(&format!("x.{column}"), matcher);
                if source && field.case_insensitive() && is_trigram(matcher) {
                    // The trigram index folds characters that lowering keeps apart
                    // (final and medial sigma, long s and s), so each row it finds is
                    // checked against the lowered column as well.
                    let query = self.bind(trigram_query(column, &matcher.value));
                    format!(
                        "(x.rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH {query}) AND {test})"
                    )
                } else {
                    test
                }
            }
            Condition::Hierarchy { group_id, .. } => {
                format!("x.hierarchy_group_id = {}", self.bind(group_id.clone()))
            }
            Condition::Proficiency(_) | Condition::Tag { .. } => {
                unreachable!("not a column of users")
            }
        }
    }

    fn row_list<'c>(
        &mut self,
        cs: impl ExactSizeIterator<Item = &'c Condition>,
        op: &str,
        source: bool,
    ) -> String {
        if cs.len() == 0 {
            return if op == " AND " { "1" } else { "0" }.into();
        }
        let parts: Vec<String> = cs.map(|c| self.row(c, source)).collect();
        format!("({})", parts.join(op))
    }

    fn row_source(&mut self, predicate: String) -> String {
        format!(
            "SELECT x.username_lower AS k FROM users x WHERE x.instance_id = ?1 AND {predicate}"
        )
    }

    fn row_test(&mut self, predicate: String, key: &str) -> String {
        format!(
            "EXISTS (SELECT 1 FROM users x WHERE x.instance_id = ?1 AND x.username_lower = {key} AND {predicate})"
        )
    }

    /// The conditions on one proficiency row.
    fn proficiency(&mut self, conds: &[ProficiencyCondition]) -> String {
        let mut parts = vec!["inst = ?2".to_string()];
        for c in conds {
            parts.push(match c {
                ProficiencyCondition::AttributeName(m) => self.compare("name", m),
                ProficiencyCondition::AttributeValue(m) => self.compare("value", m),
                ProficiencyCondition::Level(l) => self.level(*l),
            });
        }
        parts.join(" AND ")
    }

    fn level(&mut self, l: LevelCondition) -> String {
        match level_test(l) {
            LevelTest::Compare(op, v) => format!("level {op} {}", self.bind(v)),
            LevelTest::Between(lo, hi) => {
                format!("level BETWEEN {} AND {}", self.bind(lo), self.bind(hi))
            }
        }
    }

    /// The postings condition of a tag, security profile or "group or below" leaf,
    /// and whether a user can appear in its range more than once.
    fn terms(&mut self, c: &Condition) -> (String, bool) {
        match c {
            Condition::Tag { key, value } => {
                let key = self.bind(key.clone());
                match value {
                    Some(v) => {
                        let v = self.bind(v.clone());
                        (format!("kind = 'tag' AND a = {key} AND b = {v}"), false)
                    }
                    None => (format!("kind = 'tag' AND a = {key}"), false),
                }
            }
            Condition::String {
                field: StringField::SecurityProfileId,
                matcher,
            } => {
                let test = self.compare("a", matcher);
                (
                    format!("kind = 'sp' AND {test} AND b = ''"),
                    matcher.comparison != Comparison::Exact,
                )
            }
            Condition::Hierarchy { group_id, .. } => {
                let g = self.bind(group_id.clone());
                (format!("kind = 'under' AND a = {g} AND b = ''"), false)
            }
            _ => unreachable!("not a postings condition"),
        }
    }

    /// Which child of an `And` drives it: `None` for its children on the user's own
    /// row taken together, or the index of another child. Children whose index is
    /// narrow by kind (rank 4 or less) are counted, each up to the smallest count so
    /// far, and the smallest wins; the kind decides ties and ranks the others, which
    /// are not counted because counting them could cost a scan.
    fn driver(&mut self, rows: &[&Condition], others: &[&Condition]) -> Option<usize> {
        let mut candidates: Vec<(Option<usize>, u8)> = Vec::new();
        if !rows.is_empty() {
            candidates.push((None, rows.iter().map(|c| rank(c)).min().unwrap_or(SCAN)));
        }
        candidates.extend(others.iter().enumerate().map(|(i, c)| (Some(i), rank(c))));
        if candidates.len() > 1 {
            let mut best = ESTIMATE_CAP;
            let mut sizes = Vec::with_capacity(candidates.len());
            for &(which, r) in &candidates {
                let size = if r <= 4 {
                    self.estimate(which.map(|i| others[i]), rows, best)
                } else {
                    None
                };
                if let Some(n) = size {
                    best = best.min(n);
                }
                sizes.push(size.unwrap_or(usize::MAX));
            }
            candidates = candidates
                .into_iter()
                .zip(sizes)
                .map(|((which, r), n)| (which, r, n))
                .min_by_key(|&(_, r, n)| (n, r))
                .map(|(which, r, _)| vec![(which, r)])
                .unwrap_or_default();
        }
        candidates
            .into_iter()
            .min_by_key(|&(_, r)| r)
            .and_then(|(which, _)| which)
    }

    /// How many users the child matches (`None`: the children on the user's own
    /// row), counted up to `cap`; `None` when it cannot be counted.
    fn estimate(
        &mut self,
        child: Option<&Condition>,
        rows: &[&Condition],
        cap: usize,
    ) -> Option<usize> {
        let mut scratch = Compiler {
            params: self.params[..2].to_vec(),
            aliases: self.aliases + 1000,
            conn: self.conn,
        };
        let source = match child {
            Some(c) => scratch.source(c),
            None => {
                let predicate = scratch.row_list(rows.iter().copied(), " AND ", true);
                scratch.row_source(predicate)
            }
        };
        let sql = format!("SELECT count(*) FROM (SELECT 1 FROM ({source}) LIMIT {cap})");
        count(self.conn, &sql, &scratch.params)
            .ok()
            .map(|n| n as usize)
    }

    /// A query of column `k`: the lowered usernames of exactly the users that match
    /// `c`, each once.
    fn source(&mut self, c: &Condition) -> String {
        if is_row(c) {
            let predicate = self.row(c, true);
            return self.row_source(predicate);
        }
        match c {
            Condition::And(cs) => {
                let (rows, others): (Vec<&Condition>, Vec<&Condition>) =
                    cs.iter().partition(|c| is_row(c));
                let alias = self.alias();
                let key = format!("{alias}.k");
                let (driver, tests) = match self.driver(&rows, &others) {
                    None => {
                        let predicate = self.row_list(rows.iter().copied(), " AND ", true);
                        (
                            self.row_source(predicate),
                            self.tests(&others, " AND ", &key),
                        )
                    }
                    Some(i) => {
                        let driver = self.source(others[i]);
                        let mut rest = others.clone();
                        rest.remove(i);
                        // Postings probes first: one primary-key lookup each.
                        let mut tests = Vec::new();
                        let rest = self.tests(&rest, " AND ", &key);
                        if !rest.is_empty() {
                            tests.push(rest);
                        }
                        if !rows.is_empty() {
                            let predicate = self.row_list(rows.iter().copied(), " AND ", false);
                            tests.push(self.row_test(predicate, &key));
                        }
                        (driver, tests.join(" AND "))
                    }
                };
                let tests = if tests.is_empty() { "1".into() } else { tests };
                format!("SELECT {alias}.k FROM ({driver}) {alias} WHERE {tests}")
            }
            Condition::Or(cs) => {
                let parts: Vec<String> = cs
                    .iter()
                    .map(|c| {
                        let alias = self.alias();
                        let inner = self.source(c);
                        format!("SELECT {alias}.k FROM ({inner}) {alias}")
                    })
                    .collect();
                parts.join(" UNION ")
            }
            Condition::Proficiency(conds) => {
                let distinct = rank(c) != 3;
                let predicate = self.proficiency(conds);
                format!(
                    "SELECT {}uname AS k FROM search_proficiencies WHERE {predicate}",
                    if distinct { "DISTINCT " } else { "" }
                )
            }
            _ => {
                let (predicate, repeats) = self.terms(c);
                format!(
                    "SELECT {}uname AS k FROM search_terms WHERE inst = ?2 AND {predicate}",
                    if repeats { "DISTINCT " } else { "" }
                )
            }
        }
    }

    /// The children `cs` tested on the user whose lowered username is `key`, joined
    /// by `op`; the children on the user's own row share one lookup of it.
    fn tests(&mut self, cs: &[&Condition], op: &str, key: &str) -> String {
        let (rows, others): (Vec<&Condition>, Vec<&Condition>) = cs.iter().partition(|c| is_row(c));
        let mut parts = Vec::new();
        if !rows.is_empty() {
            let predicate = self.row_list(rows.iter().copied(), op, false);
            parts.push(self.row_test(predicate, key));
        }
        for c in others {
            parts.push(self.test(c, key));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("({})", parts.join(op))
        }
    }

    /// Whether the user whose lowered username is `key` matches `c`.
    fn test(&mut self, c: &Condition, key: &str) -> String {
        if is_row(c) {
            let predicate = self.row(c, false);
            return self.row_test(predicate, key);
        }
        match c {
            Condition::And(cs) => {
                let cs: Vec<&Condition> = cs.iter().collect();
                self.tests(&cs, " AND ", key)
            }
            Condition::Or(cs) => {
                let cs: Vec<&Condition> = cs.iter().collect();
                self.tests(&cs, " OR ", key)
            }
            Condition::Proficiency(conds) => {
                let predicate = self.proficiency(conds);
                format!(
                    "EXISTS (SELECT 1 FROM search_proficiencies WHERE {predicate} AND uname = {key})"
                )
            }
            _ => {
                let (predicate, _) = self.terms(c);
                format!(
                    "EXISTS (SELECT 1 FROM search_terms WHERE inst = ?2 AND {predicate} AND uname = {key})"
                )
            }
        }
    }
}

fn query_params<'p>(stmt: &rusqlite::Statement, params: &'p [Value]) -> &'p [Value] {
    &params[..stmt.parameter_count().min(params.len())]
}

pub(crate) fn search(
    conn: &Connection,
    at: &InstanceRef,
    request: &SearchRequest,
    in_memory: usize,
) -> Result<SearchPage> {
    scope::check(conn, at)?;
    let number: Option<i64> = conn
        .prepare_cached("SELECT no FROM instance_numbers WHERE id = ?1")?
        .query_row([&at.instance_id], |r| r.get(0))
        .optional()?;
    let Some(number) = number else {
        return Ok(SearchPage {
            users: Vec::new(),
            total: 0,
        });
    };
    let mut c = Compiler::new(conn, &at.instance_id, number);
    let source = c.source(&request.condition);
    let after = request
        .after
        .as_ref()
        .map(|cursor| cursor.username_lower.clone());

    let (mut users, total) =
        if request.condition == Condition::All || in_result_order(&request.condition) {
            // One index range in result order: count it, then read the page from the
            // cursor on, joined to the users it names, stopping at the limit.
            let total = if request.condition == Condition::All {
                let n: i64 = conn
                    .prepare_cached("SELECT user_count FROM instances WHERE id = ?1")?
                    .query_row([&at.instance_id], |r| r.get(0))?;
                n.max(0) as u64
            } else {
                count(
                    conn,
                    &format!("SELECT count(*) FROM ({source}) t"),
                    &c.params,
                )?
            };
            let tail = c.page_tail(after, request.limit);
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ({source}) t CROSS JOIN users u \
             ON u.instance_id = ?1 AND u.username_lower = t.k {tail}"
            ))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(c.params.iter()))?;
            let mut users = Vec::new();
            while let Some(row) = rows.next()? {
                users.push(from_columns(row)?);
            }
            (users, total)
        } else {
            // Anything else is evaluated once: up to `in_memory` keys are read, counted,
            // sorted and paged here. Past that, it is counted and paged in two queries.
            let limited = format!("SELECT t.k FROM ({source}) t LIMIT {}", in_memory + 1);
            let mut keys = read_keys(conn, &limited, &c.params)?;
            let (page, total) = if keys.len() <= in_memory {
                let total = keys.len() as u64;
                keys.sort_unstable();
                let from = match &after {
                    Some(key) => keys.partition_point(|k| k <= key),
                    None => 0,
                };
                keys.truncate((from + request.limit).min(keys.len()));
                keys.drain(..from);
                (keys, total)
            } else {
                let total = count(
                    conn,
                    &format!("SELECT count(*) FROM ({source}) t"),
                    &c.params,
                )?;
                let tail = c.page_tail(after, request.limit);
                let page = read_keys(
                    conn,
                    &format!("SELECT t.k FROM ({source}) t {tail}"),
                    &c.params,
                )?;
                (page, total)
            };
            (load_page(conn, &at.instance_id, &page)?, total)
        };
    fill_links(conn, &mut users)?;
    Ok(SearchPage { users, total })
}

/// The single number `sql` selects, with as many of `params` as it uses.
fn count(conn: &Connection, sql: &str, params: &[Value]) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql)?;
    let params = query_params(&stmt, params);
    let n: i64 = stmt.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// The lowered usernames `sql` selects, with as many of `params` as it uses.
fn read_keys(conn: &Connection, sql: &str, params: &[Value]) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let params = query_params(&stmt, params);
    let keys = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// Whether `c`'s source is a single index range already in result order (one key
/// per user, ordered by lowered username), so that the page can stop at its limit.
fn in_result_order(c: &Condition) -> bool {
    use Comparison::*;
    use StringField::*;
    match c {
        Condition::String { field, matcher } => matches!(
            (field, matcher.comparison),
            (Username, Exact | StartsWith)
                | (
                    FirstName | LastName | RoutingProfileId | SecurityProfileId | ResourceId,
                    Exact
                )
        ),
        Condition::Hierarchy { .. } => true,
        Condition::Tag { value, .. } => value.is_some(),
        Condition::Proficiency(_) => rank(c) == 3,
        Condition::All | Condition::And(_) | Condition::Or(_) => false,
    }
}

/// The users with these lowered usernames, in the order given.
fn load_page(conn: &Connection, instance_id: &str, keys: &[String]) -> Result<Vec<User>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..keys.len()).map(|i| format!("?{}", i + 2)).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE instance_id = ?1 AND username_lower IN ({})",
        marks.join(", ")
    );
    let mut params = vec![Value::from(instance_id.to_string())];
    params.extend(keys.iter().map(|k| Value::from(k.clone())));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut found: HashMap<String, User> = HashMap::with_capacity(keys.len());
    while let Some(row) = rows.next()? {
        let user = from_columns(row)?;
        found.insert(user.username.unique_key(), user);
    }
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}

/// Reads the security profiles and tags of a page of users in two queries.
fn fill_links(conn: &Connection, users: &mut [User]) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    let index: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), i))
        .collect();
    let marks = vec!["?"; users.len()].join(", ");
    let ids: Vec<Value> = users.iter().map(|u| Value::from(u.id.clone())).collect();

    let sql = format!(
        "SELECT user_id, security_profile_id FROM user_security_profiles WHERE user_id IN ({marks}) \
         ORDER BY user_id, position"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let links = stmt
        .query_map(rusqlite::params_from_iter(ids.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let sql = format!("SELECT resource_id, key, value FROM tags WHERE resource_kind = 'user' AND resource_id IN ({marks})");
    let mut stmt = conn.prepare_cached(&sql)?;
    let tags = stmt
        .query_map(rusqlite::params_from_iter(ids.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (user, profile) in links {
        if let Some(&i) = index.get(&user) {
            users[i].security_profile_ids.push_stored(profile);
        }
    }
    for (user, key, value) in tags {
        if let Some(&i) = index.get(&user) {
            users[i].tags.insert(key, value);
        }
    }
    Ok(())
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
    fn trigram_queries_quote_the_needle() {
        assert_eq!(
            trigram_query("username_lower", "a\"b"),
            "{username_lower} : \"a\"\"b\""
        );
    }
}
