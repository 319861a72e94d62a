//! Engine work for a request, on the blocking pool: the compiled interview (from the thread's
//! cache), the session's state decoded, the host and the [`Engine`] made — in one place for
//! every route that runs the engine (`/interview`, uploads, documents, the API).

use engine::run::{CompiledInterview, Engine, SessionState};

use super::AppState;
use super::error::ApiError;
use crate::interviews::{self, PackageRoots};

/// What a closure given to [`with_engine`] works with.
pub(crate) struct EngineRun<'a> {
    /// The compiled interview.
    pub interview: &'a CompiledInterview,
    /// The engine over it.
    pub engine: Engine<'a>,
    /// The session's state (a new one when no state was given).
    pub state: SessionState,
    /// No state was given: the session is new.
    pub fresh: bool,
}

/// Loads interview `reference` and decodes `session_state` (a new state when `None`), then
/// runs `f` with them on the blocking pool. `use_cache: false` re-reads the interview file.
pub(crate) async fn with_engine<R, E, F>(
    state: &AppState,
    reference: engine::FileRef,
    use_cache: bool,
    session_state: Option<Vec<u8>>,
    f: F,
) -> Result<R, E>
where
    R: Send + 'static,
    E: From<ApiError> + Send + 'static,
    F: for<'a> FnOnce(EngineRun<'a>) -> Result<R, E> + Send + 'static,
{
    let roots = PackageRoots::new(&state.config().packages);
    blocking(state, move || {
        run_engine_here(&roots, &reference, use_cache, session_state.as_deref(), f)
    })
    .await
}

/// [`with_engine`] for work already on a blocking thread (which keeps the compiled interview
/// in its cache).
pub(crate) fn run_engine_here<R, E, F>(
    roots: &PackageRoots,
    reference: &engine::FileRef,
    use_cache: bool,
    session_state: Option<&[u8]>,
    f: F,
) -> Result<R, E>
where
    E: From<ApiError>,
    F: for<'a> FnOnce(EngineRun<'a>) -> Result<R, E>,
{
    let iv = interviews::load(roots, reference, use_cache).map_err(ApiError::from)?;
    let fresh = session_state.is_none();
    let mut st = match session_state {
        Some(bytes) => decode_state(bytes)?,
        None => SessionState::new(),
    };
    forget_vanished_screen(&iv, &mut st);
    let host = crate::host::host_for(&reference.to_string());
    let engine = Engine::new(&iv, &*host).with_limits(pyeval::Limits::default());
    f(EngineRun {
        interview: &iv,
        engine,
        state: st,
        fresh,
    })
}

/// Runs `work` on the blocking pool, in its turn (see [`AppState::engine_turn`]).
pub(crate) async fn blocking<R, E>(
    state: &AppState,
    work: impl FnOnce() -> Result<R, E> + Send + 'static,
) -> Result<R, E>
where
    R: Send + 'static,
    E: From<ApiError> + Send + 'static,
{
    let turn = state.engine_turn().await.map_err(E::from)?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(turn);
        done
    })
    .await
    .map_err(|e| E::from(ApiError::Internal(format!("the engine task failed: {e}"))))?
}

/// A session saved while the interview file had a block its waiting screen came from, opened
/// after the file changed so that the block is gone (an author edited the YAML): the screen
/// is forgotten and the next question is sought again, rather than the engine indexing a
/// block that no longer exists (a panic, answered 500).
fn forget_vanished_screen(iv: &CompiledInterview, st: &mut SessionState) {
    if st
        .internal
        .pending
        .as_ref()
        .is_some_and(|p| p.block >= iv.blocks.len())
    {
        tracing::warn!("the waiting screen's block is gone from the interview: seeking again");
        st.internal.pending = None;
    }
}

/// A stored session state, decoded.
pub(crate) fn decode_state(bytes: &[u8]) -> Result<SessionState, ApiError> {
    SessionState::from_bytes(bytes)
        .map_err(|e| ApiError::Internal(format!("the stored session cannot be read: {e}")))
}
