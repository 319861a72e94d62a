//! Which page an address shows. The app has no client-side router: each page is a full load
//! (the server answers these paths with the app shell), so the page is chosen once, at start.

use crate::links::query_value;

/// The app's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/`: the home page.
    Home,
    /// `/interview?i=…`, or `/?i=…`: an interview.
    Interview,
    /// `/list`: the available interviews.
    List,
    /// `/interviews`: the user's sessions.
    Sessions,
    /// Anything else.
    NotFound,
}

/// The page for a path and query string (`location.pathname`, `location.search`).
pub fn page_of(path: &str, search: &str) -> Page {
    let path = match path.trim_end_matches('/') {
        "" => "/",
        p => p,
    };
    match path {
        "/" if query_value(search, "i").is_some_and(|i| !i.is_empty()) => Page::Interview,
        "/" => Page::Home,
        "/interview" => Page::Interview,
        "/list" => Page::List,
        "/interviews" => Page::Sessions,
        _ => Page::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_pages() {
        assert_eq!(page_of("/", ""), Page::Home);
        assert_eq!(page_of("/", "?i="), Page::Home);
        assert_eq!(page_of("/", "?i=a%3Ab.yml"), Page::Interview);
        assert_eq!(page_of("/interview", "?i=a:b.yml"), Page::Interview);
        assert_eq!(page_of("/list/", ""), Page::List);
        assert_eq!(page_of("/interviews", "?json=0"), Page::Sessions);
        assert_eq!(page_of("/nowhere", ""), Page::NotFound);
    }
}
