//! The CSV files of bulk import and export: the admin website's 13-column template,
//! roster's extended template (hierarchy group path and tags after them), and the
//! export's extended template with the user id last.
//!
//! Within a cell, the hierarchy group path separates group names with `/` and the
//! tags separate `key=value` pairs with `;`; a backslash makes the next character
//! literal (`\/`, `\;`, `\=`, `\\`), so names and tags holding those characters
//! survive a round trip.

use std::collections::BTreeMap;

/// The admin website's template, in its order, with its exact header texts.
pub const OFFICIAL_COLUMNS: [&str; 13] = [
    "first name",
    "last name",
    "email address",
    "secondary email address",
    "mobile",
    "password",
    "user login",
    "routing profile name",
    "security_profile_name_1|security_profile_name_2",
    "phone type (soft/desk)",
    "phone number",
    "soft phone auto accept (yes/no)",
    "ACW timeout (seconds)",
];

/// The columns roster's extended template adds after the official ones.
pub const EXTENDED_COLUMNS: [&str; 2] = ["hierarchy group path", "tags"];

/// The column an export adds after the extended ones; an import ignores it.
pub const USER_ID_COLUMN: &str = "user id";

/// One of the columns of a row an import reads (the user id it ignores).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    FirstName = 0,
    LastName,
    Email,
    SecondaryEmail,
    Mobile,
    Password,
    Login,
    RoutingProfile,
    SecurityProfiles,
    PhoneType,
    PhoneNumber,
    AutoAccept,
    Acw,
    HierarchyPath,
    Tags,
}

impl Column {
    /// The column's header text.
    pub(crate) fn title(self) -> &'static str {
        let i = self as usize;
        if i < OFFICIAL_COLUMNS.len() {
            OFFICIAL_COLUMNS[i]
        } else {
            EXTENDED_COLUMNS[i - OFFICIAL_COLUMNS.len()]
        }
    }
}

/// Which template a file is in, as its header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvTemplate {
    /// The admin website's 13 columns.
    Official,
    /// The 13 columns, then `hierarchy group path` and `tags`.
    Extended,
    /// The extended template and `user id`, as an export writes it.
    ExtendedWithUserId,
}

impl CsvTemplate {
    /// The header texts, in order.
    pub fn columns(self) -> Vec<&'static str> {
        let mut columns = OFFICIAL_COLUMNS.to_vec();
        if self != CsvTemplate::Official {
            columns.extend(EXTENDED_COLUMNS);
        }
        if self == CsvTemplate::ExtendedWithUserId {
            columns.push(USER_ID_COLUMN);
        }
        columns
    }

    /// The template a header row is in: its cells, trimmed and compared without
    /// regard to case (a leading byte-order mark ignored), must be exactly one of the
    /// templates' headers.
    pub(crate) fn detect(header: &[String]) -> Result<CsvTemplate, String> {
        let cells: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = if i == 0 {
                    c.trim_start_matches('\u{feff}')
                } else {
                    c
                };
                c.trim().to_lowercase()
            })
            .collect();
        for t in [
            CsvTemplate::Official,
            CsvTemplate::Extended,
            CsvTemplate::ExtendedWithUserId,
        ] {
            let want = t.columns();
            if cells.len() == want.len()
                && cells.iter().zip(&want).all(|(c, w)| *c == w.to_lowercase())
            {
                return Ok(t);
            }
        }
        // Say where it first differs from the closest template.
        let want = if cells.len() > OFFICIAL_COLUMNS.len() {
            CsvTemplate::ExtendedWithUserId.columns()
        } else {
            CsvTemplate::Official.columns()
        };
        let first_difference = cells
            .iter()
            .zip(&want)
            .position(|(c, w)| *c != w.to_lowercase());
        let detail = match first_difference {
            Some(i) => format!(
                "column {} is '{}' where the template has '{}'",
                i + 1,
                header[i].trim(),
                want[i]
            ),
            None => format!(
                "it has {} columns; the official template has 13, the extended one 15 (16 with '{USER_ID_COLUMN}')",
                cells.len()
            ),
        };
        Err(format!(
            "the header row is neither the official 13-column template nor roster's extended template: {detail}"
        ))
    }
}

/// The header row of `template` as a CSV file.
pub fn header_csv(template: CsvTemplate) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(template.columns());
    w.into_inner().unwrap_or_default()
}

/// Splits `cell` at every `sep` that no backslash escapes, and undoes the escapes.
pub(crate) fn split_escaped(cell: &str, sep: char) -> Result<Vec<String>, String> {
    let mut parts = vec![String::new()];
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => parts.last_mut().expect("never empty").push(next),
                None => return Err("ends with a lone backslash".to_string()),
            },
            c if c == sep => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    Ok(parts)
}

/// `part` with a backslash before every backslash and every character of `special`.
pub(crate) fn escape(part: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(part.len());
    for c in part.chars() {
        if c == '\\' || special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The group names of a hierarchy group path, from the top level down.
pub(crate) fn parse_path(cell: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = split_escaped(cell, '/')?
        .into_iter()
        .map(|n| n.trim().to_string())
        .collect();
    if names.iter().any(String::is_empty) {
        return Err("has an empty group name; write the group names from the top level down, separated by '/'".to_string());
    }
    Ok(names)
}

pub(crate) fn write_path(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| escape(n, &['/']))
        .collect::<Vec<_>>()
        .join("/")
}

/// Tags written `key=value;key2=value2`: a pair splits at its first unescaped `=`;
/// empty pairs (a trailing `;`) are ignored; a key twice is refused.
pub(crate) fn parse_tags(cell: &str) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    // Split pairs on unescaped ';' while keeping the other escapes for the '=' split.
    let mut pairs = vec![String::new()];
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => {
                    let p = pairs.last_mut().expect("never empty");
                    p.push('\\');
                    p.push(next);
                }
                None => return Err("ends with a lone backslash".to_string()),
            },
            ';' => pairs.push(String::new()),
            c => pairs.last_mut().expect("never empty").push(c),
        }
    }
    for pair in pairs {
        if pair.trim().is_empty() {
            continue;
        }
        let halves = split_escaped(&pair, '=')?;
        if halves.len() < 2 {
            return Err(format!(
                "'{}' is not key=value; write tags as key=value;key2=value2",
                pair.trim()
            ));
        }
        let key = halves[0].trim().to_string();
        // Only the first unescaped '=' separates; later ones belong to the value.
        let value = halves[1..].join("=").trim().to_string();
        if tags.insert(key.clone(), value).is_some() {
            return Err(format!("the key '{key}' appears twice"));
        }
    }
    Ok(tags)
}

pub(crate) fn write_tags(tags: &BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("{}={}", escape(k, &[';', '=']), escape(v, &[';', '='])))
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_are_detected_by_their_texts() {
        assert_eq!(
            CsvTemplate::detect(&cells(&OFFICIAL_COLUMNS)),
            Ok(CsvTemplate::Official)
        );
        let mut ext = cells(&OFFICIAL_COLUMNS);
        ext.extend(cells(&EXTENDED_COLUMNS));
        assert_eq!(CsvTemplate::detect(&ext), Ok(CsvTemplate::Extended));
        ext.push("User ID ".into());
        assert_eq!(
            CsvTemplate::detect(&ext),
            Ok(CsvTemplate::ExtendedWithUserId)
        );
        let mut bom = cells(&OFFICIAL_COLUMNS);
        bom[0] = "\u{feff}First Name".into();
        assert_eq!(CsvTemplate::detect(&bom), Ok(CsvTemplate::Official));

        let mut wrong = cells(&OFFICIAL_COLUMNS);
        wrong[2] = "e-mail".into();
        let e = CsvTemplate::detect(&wrong).unwrap_err();
        assert!(e.contains("column 3 is 'e-mail'"), "{e}");
        let e = CsvTemplate::detect(&cells(&OFFICIAL_COLUMNS[..12])).unwrap_err();
        assert!(e.contains("12 columns"), "{e}");
    }

    #[test]
    fn header_csv_is_one_line() {
        let text = String::from_utf8(header_csv(CsvTemplate::Official)).unwrap();
        assert!(text.starts_with("first name,last name,email address,"));
        assert!(
            text.contains("\"ACW timeout (seconds)\"") || text.contains("ACW timeout (seconds)")
        );
        assert_eq!(text.lines().count(), 1);
        let ext = String::from_utf8(header_csv(CsvTemplate::Extended)).unwrap();
        assert!(ext.trim_end().ends_with("hierarchy group path,tags"));
    }

    #[test]
    fn paths_round_trip_with_escapes() {
        assert_eq!(
            parse_path("EMEA/ Sales /UK").unwrap(),
            ["EMEA", "Sales", "UK"]
        );
        let names = ["A/B", "back\\slash", "plain"];
        let written = write_path(&names);
        assert_eq!(written, "A\\/B/back\\\\slash/plain");
        assert_eq!(parse_path(&written).unwrap(), names);
        assert!(parse_path("EMEA//UK").is_err());
        assert!(parse_path("EMEA\\").is_err());
    }

    #[test]
    fn tags_round_trip_with_escapes() {
        let t = parse_tags("team=blue; site = Leeds ;").unwrap();
        assert_eq!(t.get("team").map(String::as_str), Some("blue"));
        assert_eq!(t.get("site").map(String::as_str), Some("Leeds"));
        assert_eq!(t.len(), 2);
        // A value may hold '=' unescaped after the first one.
        assert_eq!(parse_tags("expr=a=b").unwrap()["expr"], "a=b");

        let mut odd = BTreeMap::new();
        odd.insert("k=1".to_string(), "v;2".to_string());
        odd.insert("path".to_string(), "a\\b".to_string());
        let written = write_tags(&odd);
        assert_eq!(parse_tags(&written).unwrap(), odd);

        assert!(parse_tags("novalue").unwrap_err().contains("key=value"));
        assert!(parse_tags("a=1;a=2").unwrap_err().contains("twice"));
        assert!(parse_tags("").unwrap().is_empty());
    }
}
