//! SearchUsers in SQL: the condition tree compiled to one WHERE clause over `users`,
//! each leaf a subquery that an index answers (tags, proficiencies, security
//! profiles, hierarchy paths, lowered names, the trigram index of names). Results
//! come in (lowered username, id) order, one page at a time, with the total count
//! taken in the same snapshot.

use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch,
};
use std::collections::HashMap;

use roster_domain::user::User;
use roster_domain::InstanceRef;
use roster_store::{SearchPage, SearchRequest};
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::error::Result;
use crate::instances;
use crate::users::{from_columns, COLUMNS};

/// SQL text with its positional parameters.
#[derive(Default)]
struct Sql {
    text: String,
    params: Vec<Value>,
}

impl Sql {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn bind(&mut self, v: impl Into<Value>) {
        self.params.push(v.into());
        self.text.push_str(&format!("?{}", self.params.len()));
    }
}

/// The smallest string greater than every string starting with `prefix`, in
/// SQLite's binary (code point) order.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
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
            sql.push(&format!("instr({column}, "));
            sql.bind(m.value.clone());
            sql.push(") > 0");
        }
    }
}

/// An FTS5 query for `needle` as a substring of one column of `users_fts`.
fn trigram_query(column: &str, needle: &str) -> String {
    format!("{{{column}}} : \"{}\"", needle.replace('"', "\"\""))
}

fn name_condition(sql: &mut Sql, column: &str, m: &StringMatch) {
    // The trigram index answers substrings of three characters or more. Its case
    // folding joins characters that lowering keeps apart (final sigma and sigma, long
    // s and s), so each row it finds is checked against the lowered column as well.
    if m.comparison == Comparison::Contains && m.value.chars().count() >= 3 {
        sql.push("(u.rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ");
        sql.bind(trigram_query(column, &m.value));
        sql.push(") AND ");
        compare(sql, &format!("u.{column}"), m);
        sql.push(")");
    } else {
        compare(sql, &format!("u.{column}"), m);
    }
}

fn condition(sql: &mut Sql, c: &Condition, instance_id: &str) {
    match c {
        Condition::All => sql.push("1"),
        Condition::And(cs) | Condition::Or(cs) if cs.is_empty() => {
            sql.push(if matches!(c, Condition::And(_)) {
                "1"
            } else {
                "0"
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
            StringField::Username => name_condition(sql, "username_lower", matcher),
            StringField::FirstName => name_condition(sql, "first_name_lower", matcher),
            StringField::LastName => name_condition(sql, "last_name_lower", matcher),
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
    let (op, v) = match l {
        LevelCondition::GreaterOrEqual(v) => (">=", v),
        LevelCondition::Greater(v) => (">", v),
        LevelCondition::LesserOrEqual(v) => ("<=", v),
        LevelCondition::Lesser(v) => ("<", v),
        LevelCondition::Equal(v) => ("=", v),
        LevelCondition::NotEqual(v) => ("<>", v),
        LevelCondition::Range(lo, hi) => {
            sql.push("level BETWEEN ");
            sql.bind(lo);
            sql.push(" AND ");
            sql.bind(hi);
            return;
        }
    };
    sql.push(&format!("level {op} "));
    sql.bind(v);
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

pub(crate) fn search(
    conn: &Connection,
    at: &InstanceRef,
    request: &SearchRequest,
) -> Result<SearchPage> {
    instances::check(conn, at)?;
    let filter = matching(at, &request.condition);

    let count_sql = format!("SELECT count(*) FROM users u{}", filter.text);
    let total: i64 = conn
        .prepare_cached(&count_sql)?
        .query_row(rusqlite::params_from_iter(filter.params.iter()), |r| {
            r.get(0)
        })?;

    let mut page = filter;
    if let Some(after) = &request.after {
        page.push(" AND (u.username_lower > ");
        page.bind(after.username_lower.clone());
        page.push(" OR (u.username_lower = ");
        page.bind(after.username_lower.clone());
        page.push(" AND u.id > ");
        page.bind(after.id.clone());
        page.push("))");
    }
    page.push(" ORDER BY u.username_lower, u.id LIMIT ");
    page.bind(request.limit as i64);
    let page_sql = format!("SELECT {COLUMNS} FROM users u{}", page.text);
    let mut stmt = conn.prepare_cached(&page_sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(page.params.iter()))?;
    let mut users = Vec::new();
    while let Some(row) = rows.next()? {
        users.push(from_columns(row)?);
    }
    fill_links(conn, &mut users)?;
    Ok(SearchPage {
        users,
        total: total as u64,
    })
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
            users[i].security_profile_ids.push(profile);
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
