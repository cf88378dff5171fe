//! Form bodies and query strings as ordered name/value pairs (a name may repeat:
//! the checkboxes of a list).

#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(bytes: &[u8]) -> Self {
        Fields(form_urlencoded::parse(bytes).into_owned().collect())
    }

    pub fn from_query(query: Option<&str>) -> Self {
        Self::parse(query.unwrap_or("").as_bytes())
    }

    /// The first value of `name`, if sent.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.raw(name).unwrap_or("")
    }

    /// The first value of `name` with surrounding space removed, `None` when empty.
    pub fn text(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Every value of `name`, in order, empty ones left out.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn checked(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }
}

/// `key=value` lines as a map; lines without `=` are keys with empty values, blank
/// lines are skipped.
pub fn tag_lines(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// Percent-encodes a query value.
pub fn enc(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_and_tags() {
        let f = Fields::parse(b"sp=a&sp=b&sp=&x=+1+&c=on");
        assert_eq!(f.all("sp"), vec!["a", "b"]);
        assert_eq!(f.text("x").as_deref(), Some("1"));
        assert!(f.checked("c") && !f.checked("d"));
        let t = tag_lines("team = blue\n\nsolo\n");
        assert_eq!(t.get("team").map(String::as_str), Some("blue"));
        assert_eq!(t.get("solo").map(String::as_str), Some(""));
    }
}
