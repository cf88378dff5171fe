//! Opaque pagination tokens, tied to the listing and instance that made them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use roster_api::Failure;
use roster_store::PageRequest;

/// Makes a token that resumes `listing` in `owner` after the item `after`.
pub fn encode(listing: &str, owner: &str, after: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1\n{listing}\n{owner}\n{after}"))
}

/// Reads a token back; one made for another listing or instance, or that does not
/// decode, is refused.
pub fn decode(listing: &str, owner: &str, token: &str) -> Result<String, Failure> {
    let invalid = || {
        Failure::invalid_request(
            "NextToken: is not a token this request returned; start again without it",
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(4, '\n');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("v1"), Some(l), Some(o), Some(after))
            if l == listing && o == owner && !after.is_empty() =>
        {
            Ok(after.to_string())
        }
        _ => Err(invalid()),
    }
}

/// A List request's page: `maxResults` (default `default_size`) and where its token
/// says to resume. One more item than asked is fetched to learn whether another page
/// follows; [`Listing::finish`] cuts it off and makes the next token.
pub struct Listing<'a> {
    listing: &'a str,
    owner: &'a str,
    size: usize,
    pub page: PageRequest,
}

impl<'a> Listing<'a> {
    pub fn new(
        listing: &'a str,
        owner: &'a str,
        next_token: Option<&String>,
        max_results: Option<i32>,
        default_size: usize,
    ) -> Result<Self, Failure> {
        let size = max_results
            .map(|m| m.max(1) as usize)
            .unwrap_or(default_size);
        let after = next_token.map(|t| decode(listing, owner, t)).transpose()?;
        Ok(Listing {
            listing,
            owner,
            size,
            page: PageRequest {
                after,
                limit: size + 1,
            },
        })
    }

    /// Cuts a fetched page to the asked size and makes the token for the next one.
    pub fn finish<T>(
        &self,
        mut items: Vec<T>,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        if items.len() > self.size {
            items.truncate(self.size);
            let next = items
                .last()
                .map(|last| encode(self.listing, self.owner, &key(last)));
            (items, next)
        } else {
            (items, None)
        }
    }
}

impl Listing<'_> {
    /// One page of a list held in memory whose items are in the order of `key`
    /// (compared as strings): the items after the token's key, cut to the asked size,
    /// and the token for the next page.
    pub fn page_of<T>(
        &self,
        items: impl IntoIterator<Item = T>,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        let page: Vec<T> = items
            .into_iter()
            .filter(|item| self.page.after.as_ref().is_none_or(|a| key(item) > *a))
            .take(self.page.limit)
            .collect();
        self.finish(page, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_tied_to_listing_and_owner() {
        let t = encode("users", "i-1", "u-9");
        assert_eq!(decode("users", "i-1", &t).unwrap(), "u-9");
        assert!(decode("users", "i-2", &t).is_err());
        assert!(decode("queues", "i-1", &t).is_err());
        assert!(decode("users", "i-1", "garbage!").is_err());
    }

    #[test]
    fn pages_cut_and_continue() {
        let list = Listing::new("l", "o", None, Some(2), 100).unwrap();
        assert_eq!(list.page.limit, 3);
        let (items, next) = list.finish(vec![1, 2, 3], |i| i.to_string());
        assert_eq!(items, vec![1, 2]);
        let token = next.unwrap();
        assert_eq!(decode("l", "o", &token).unwrap(), "2");
        let list = Listing::new("l", "o", Some(&token), Some(2), 100).unwrap();
        assert_eq!(list.page.after.as_deref(), Some("2"));
        let (_, next) = list.finish(vec![1, 2], |i| i.to_string());
        assert!(next.is_none());
    }

    #[test]
    fn in_memory_pages_resume_after_the_key() {
        let items = ["a", "b", "c", "d", "e"];
        let list = Listing::new("l", "o", None, Some(2), 100).unwrap();
        let (page, next) = list.page_of(items, |s| s.to_string());
        assert_eq!(page, ["a", "b"]);
        let list = Listing::new("l", "o", next.as_ref(), Some(2), 100).unwrap();
        let (page, next) = list.page_of(items, |s| s.to_string());
        assert_eq!(page, ["c", "d"]);
        let list = Listing::new("l", "o", next.as_ref(), Some(2), 100).unwrap();
        let (page, next) = list.page_of(items, |s| s.to_string());
        assert_eq!(page, ["e"]);
        assert!(next.is_none());
    }
}
