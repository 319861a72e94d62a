//! A document fetched when a page opens (and again on "Try again"): a signal that is `None`
//! while the request is under way. Plain signals and a request callback instead of Leptos'
//! resources and `<Suspense>`, whose async machinery weighed more than the pages using it.

use leptos::prelude::*;

/// The state of a fetch: `None` while loading, then the result.
pub struct Fetched<T: Send + Sync + 'static> {
    /// The result, once there is one.
    pub state: RwSignal<Option<Result<T, String>>>,
    /// Fetches again (for "Try again").
    pub retry: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

/// GETs `url` now and on every retry; `read` turns the status and body into the result.
pub fn fetch<T>(url: &'static str, read: fn(u16, &str) -> Result<T, String>) -> Fetched<T>
where
    T: Send + Sync + 'static,
{
    let state = RwSignal::new(None);
    let run = move || {
        state.set(None);
        crate::api::get(
            url,
            Box::new(move |reply| {
                state.set(Some(
                    reply.and_then(|(status, _, body)| read(status, &body)),
                ));
            }),
        );
    };
    run();
    Fetched {
        state,
        retry: Callback::new(move |_| run()),
    }
}
