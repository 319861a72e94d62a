//! Action links: docassemble's `url_action()` links (`/interview?action=<encoded JSON>&i=…`)
//! in question texts, and review edit links. The app runs them through the JSON protocol
//! (`POST _action=…`) instead of leaving the page.

/// The encoded action of a link to the interview endpoint, if it has one.
pub fn action_of_href(href: &str) -> Option<String> {
    let href = href.trim();
    let (path, query) = href.split_once('?')?;
    let path = path.split('#').next().unwrap_or(path);
    // Only links to the interview endpoint itself (relative, or this page).
    if !(path.is_empty() || path.ends_with("/interview") || path == "/") {
        return None;
    }
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("action="))
        .map(percent_decode)
        .filter(|a| !a.is_empty())
}

/// The address of a review edit link: this page with `action=` (works without the app too).
pub fn action_href(page_url: &str, encoded: &str) -> String {
    let mut out = String::from(page_url);
    out.push_str(if page_url.contains('?') { "&" } else { "?" });
    out.push_str("action=");
    crate::form::encode_component(encoded, &mut out);
    out
}

/// The first value of `key` in a query string (`?a=1&b=2`), decoded.
pub fn query_value(search: &str, key: &str) -> Option<String> {
    query_pairs(search)
        .into_iter()
        .find_map(|(k, v)| (k == key).then_some(v))
}

/// The `key=value` pairs of a query string, decoded, in order.
pub fn query_pairs(search: &str) -> Vec<(String, String)> {
    let search = search.strip_prefix('?').unwrap_or(search);
    search
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space, as in form encoding).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_action_links_give_their_action() {
        assert_eq!(
            action_of_href("/interview?action=eyJhY3Rpb24i%2BOg%3D%3D&i=docassemble.demo%3Ax.yml"),
            Some("eyJhY3Rpb24i+Og==".to_string())
        );
        assert_eq!(action_of_href("?i=x&action=abc"), Some("abc".to_string()));
    }

    #[test]
    fn query_strings_read_as_decoded_pairs() {
        assert_eq!(
            query_pairs("?i=a%3Ab.yml&fruit=blood+orange&&flag"),
            vec![
                ("i".to_string(), "a:b.yml".to_string()),
                ("fruit".to_string(), "blood orange".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert_eq!(
            query_value("fruit=fig&fruit=plum", "fruit").as_deref(),
            Some("fig")
        );
        assert!(query_pairs("").is_empty());
    }

    #[test]
    fn other_links_are_left_alone() {
        assert_eq!(action_of_href("https://example.com/?action=abc"), None);
        assert_eq!(action_of_href("/interview?i=x"), None);
        assert_eq!(action_of_href("/interview?action="), None);
        assert_eq!(action_of_href("#top"), None);
    }

    #[test]
    fn edit_links_round_trip() {
        let href = action_href("/interview?i=a:b.yml", "ab+c/d");
        assert_eq!(action_of_href(&href), Some("ab+c/d".to_string()));
    }

    #[test]
    fn query_values_are_decoded() {
        let q = "?i=docassemble.demo%3Ax.yml&reset=2&session=";
        assert_eq!(
            query_value(q, "i").as_deref(),
            Some("docassemble.demo:x.yml")
        );
        assert_eq!(query_value(q, "reset").as_deref(), Some("2"));
        assert_eq!(query_value(q, "session").as_deref(), Some(""));
        assert_eq!(query_value(q, "cache"), None);
        assert_eq!(query_value("", "i"), None);
    }

    #[test]
    fn broken_escapes_stay_as_they_are() {
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("a%4"), "a%4");
        assert_eq!(percent_decode("%41"), "A");
    }
}
