//! Steps, back, optimistic concurrency, listing and deleting. Each test runs on SQLite and on
//! PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::store_support;

use std::collections::BTreeSet;

use server::store::{Credentials, HolderKind, Owner, Secret, SessionId, StepNumber, StoreError};
use store_support::TestStore;
use time::OffsetDateTime;

const A: &str = "demo:data/questions/a.yml";
const B: &str = "demo:data/questions/b.yml";

fn step(n: u32) -> StepNumber {
    StepNumber::new(n).unwrap()
}

async fn back_deletes_the_newest_step(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let c = Credentials::secret(&secret);
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"1")
        .await
        .unwrap();
    let err = store.back(&id, StepNumber::FIRST, c).await.unwrap_err();
    assert!(matches!(err, StoreError::AtFirstStep(_)), "{err:?}");
    store.append_step(&id, step(1), c, b"2").await.unwrap();
    store.append_step(&id, step(2), c, b"3").await.unwrap();
    // Back from a step that is not the newest (a stale page): refused, nothing deleted.
    let err = store.back(&id, step(2), c).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { step: s, .. } if s == step(2)),
        "{err:?}"
    );
    let prev = store.back(&id, step(3), c).await.unwrap();
    assert_eq!((prev.number, prev.state.as_slice()), (step(2), &b"2"[..]));
    // The same back again (a double click) conflicts instead of deleting step 2.
    let err = store.back(&id, step(3), c).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let prev = store.back(&id, step(2), c).await.unwrap();
    assert_eq!((prev.number, prev.state.as_slice()), (step(1), &b"1"[..]));
    let err = store.back(&id, step(1), c).await.unwrap_err();
    assert!(matches!(err, StoreError::AtFirstStep(_)), "{err:?}");
    // Step numbers are reused after back, with fresh ciphertext.
    assert_eq!(
        store.append_step(&id, step(1), c, b"2b").await.unwrap(),
        step(2)
    );
    assert_eq!(store.latest_step(&id, c).await.unwrap().state, b"2b");
    // Back needs the secret.
    let other = Secret::generate().unwrap();
    let err = store
        .back(&id, step(2), Credentials::secret(&other))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    assert_eq!(store.raw_steps(&id).await.unwrap().len(), 2);
}

async fn stale_writes_conflict(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let c = Credentials::secret(&secret);
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"1")
        .await
        .unwrap();
    let (_, at_first) = store.open_latest(&id, c).await.unwrap();
    store.append_step(&id, step(1), c, b"2").await.unwrap();
    // Building on step 1 again (it is no longer the newest).
    let err = store.append_step(&id, step(1), c, b"x").await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { step: s, .. } if s == step(1)),
        "{err:?}"
    );
    // Building on a step that does not exist yet.
    let err = store.append_step(&id, step(5), c, b"x").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    // Overwriting in place: only the newest step, and only as it was read.
    let (_, at_second) = store.open_latest(&id, c).await.unwrap();
    store.overwrite_opened(&at_second, b"2'").await.unwrap();
    assert_eq!(store.latest_step(&id, c).await.unwrap().state, b"2'");
    let err = store.overwrite_opened(&at_first, b"x").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    // Step 2 changed since this read (a check-in stored something): neither an overwrite
    // nor an answer building on what was read may drop that.
    let err = store.overwrite_opened(&at_second, b"y").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let err = store
        .append_opened(&at_second, step(2), b"3")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let latest = store.latest_step(&id, c).await.unwrap();
    assert_eq!(
        (latest.number, latest.state.as_slice()),
        (step(2), &b"2'"[..])
    );
    // Read again, it builds on fine.
    let (_, again) = store.open_latest(&id, c).await.unwrap();
    assert_eq!(
        store.append_opened(&again, step(2), b"3").await.unwrap(),
        step(3)
    );
    let back = store.back(&id, step(3), c).await.unwrap();
    assert_eq!(back.state, b"2'");
    let back = store.back(&id, step(2), c).await.unwrap();
    assert_eq!(back.state, b"1");
    // An unknown session.
    let missing = SessionId::generate().unwrap();
    let err = store
        .append_step(&missing, step(1), c, b"x")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}

/// Two requests racing on one session: exactly one wins each round, the loser gets a conflict,
/// and after retries every write is there, once, in order.
async fn concurrent_writers(t: &TestStore) {
    let store = t.store.clone();
    let secret = Secret::generate().unwrap();
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"start")
        .await
        .unwrap();

    // One round: both build on step 1.
    let mut handles = Vec::new();
    for w in 0..2u8 {
        let (store, id, secret) = (store.clone(), id.clone(), secret.clone());
        handles.push(tokio::spawn(async move {
            store
                .append_step(&id, StepNumber::FIRST, Credentials::secret(&secret), &[w])
                .await
        }));
    }
    let mut wins = Vec::new();
    let mut conflicts = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(n) => wins.push(n),
            Err(StoreError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!((wins.as_slice(), conflicts), (&[step(2)][..], 1));

    // Many rounds with retries: nothing lost, nothing duplicated.
    const WRITERS: u8 = 4;
    const WRITES: u8 = 5;
    let mut handles = Vec::new();
    for w in 0..WRITERS {
        let (store, id, secret) = (store.clone(), id.clone(), secret.clone());
        handles.push(tokio::spawn(async move {
            let c = Credentials::secret(&secret);
            let mut conflicts = 0u32;
            for i in 0..WRITES {
                loop {
                    let latest = store.latest_step(&id, c).await.unwrap();
                    match store
                        .append_step(&id, latest.number, c, &[b'w', w, i])
                        .await
                    {
                        Ok(_) => break,
                        Err(StoreError::Conflict { .. }) => {
                            conflicts += 1;
                            tokio::task::yield_now().await;
                        }
                        Err(e) => panic!("unexpected error: {e:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let c = Credentials::secret(&secret);
    let total = u32::from(WRITERS) * u32::from(WRITES) + 2;
    let mut latest = store.latest_step(&id, c).await.unwrap();
    assert_eq!(latest.number.get(), total);
    let mut seen = BTreeSet::new();
    while latest.number > step(2) {
        assert!(seen.insert(latest.state.clone()), "duplicate write");
        latest = store.back(&id, latest.number, c).await.unwrap();
    }
    let expected: BTreeSet<Vec<u8>> = (0..WRITERS)
        .flat_map(|w| (0..WRITES).map(move |i| vec![b'w', w, i]))
        .collect();
    assert_eq!(seen, expected);
}

async fn list_and_delete(t: &TestStore) {
    let store = &t.store;
    let me = Secret::generate().unwrap();
    let you = Secret::generate().unwrap();
    let mine_a = store
        .create_session(A, Owner::Anonymous(&me), b"a")
        .await
        .unwrap();
    let mine_b = store
        .create_session(B, Owner::Anonymous(&me), b"b")
        .await
        .unwrap();
    let yours = store
        .create_session(A, Owner::Anonymous(&you), b"y")
        .await
        .unwrap();
    store
        .append_step(&mine_a, step(1), Credentials::secret(&me), b"a2")
        .await
        .unwrap();

    let mine = store
        .list_sessions(Credentials::secret(&me), None)
        .await
        .unwrap();
    let ids: Vec<&SessionId> = mine.iter().map(|s| &s.id).collect();
    // Newest modification first.
    assert_eq!(ids, vec![&mine_a, &mine_b]);
    assert_eq!(mine[0].steps, step(2));
    assert_eq!(mine[0].interview, A);
    assert_eq!(mine[0].holder, HolderKind::Anonymous);
    assert!(mine[0].modified >= mine[0].created);
    assert_eq!(mine[0].created.offset(), time::UtcOffset::UTC);
    assert!(OffsetDateTime::now_utc() - mine[0].modified < time::Duration::minutes(5));
    let only_b = store
        .list_sessions(Credentials::secret(&me), Some(B))
        .await
        .unwrap();
    assert_eq!(only_b.len(), 1);
    assert_eq!(only_b[0].id, mine_b);
    assert!(
        store
            .list_sessions(Credentials::none(), None)
            .await
            .unwrap()
            .is_empty()
    );

    // Deleting: only with the secret; then it is gone.
    let err = store
        .delete_session(&yours, Credentials::secret(&me))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    store
        .delete_session(&mine_a, Credentials::secret(&me))
        .await
        .unwrap();
    let err = store
        .latest_step(&mine_a, Credentials::secret(&me))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert!(store.raw_steps(&mine_a).await.unwrap().is_empty());
    let mine = store
        .list_sessions(Credentials::secret(&me), None)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    let err = store
        .delete_session(&mine_a, Credentials::secret(&me))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert_eq!(
        store
            .list_sessions(Credentials::secret(&you), None)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn purge_idle_sessions(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"old")
        .await
        .unwrap();
    let past = OffsetDateTime::now_utc() - time::Duration::days(1);
    assert_eq!(store.purge_idle(past).await.unwrap(), 0);
    let future = OffsetDateTime::now_utc() + time::Duration::seconds(5);
    assert_eq!(store.purge_idle(future).await.unwrap(), 1);
    let err = store
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}

/// The session opened by `open_latest` writes the next step like `append_step`; a write
/// touches the session's `modified`, and a conflicting one neither writes nor touches it.
async fn opened_sessions_write_once_and_touch_modified(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let c = Credentials::secret(&secret);
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"1")
        .await
        .unwrap();
    let modified = || async { store.list_sessions(c, None).await.unwrap()[0].modified };
    let created = modified().await;
    let (first, opened) = store.open_latest(&id, c).await.unwrap();
    assert_eq!((first.number, first.state.as_slice()), (step(1), &b"1"[..]));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(
        store.append_opened(&opened, step(1), b"2").await.unwrap(),
        step(2)
    );
    let written = modified().await;
    assert!(written > created, "{written} > {created}");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    // The same session opened again at step 1 (a stale request) loses.
    let err = store
        .append_opened(&opened, step(1), b"x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { step: s, .. } if s == step(1)),
        "{err:?}"
    );
    assert_eq!(modified().await, written);
    let latest = store.latest_step(&id, c).await.unwrap();
    assert_eq!(
        (latest.number, latest.state.as_slice()),
        (step(2), &b"2"[..])
    );
    assert_eq!(store.raw_steps(&id).await.unwrap().len(), 2);
    // A session deleted meanwhile: nothing is written.
    store.delete_session(&id, c).await.unwrap();
    let err = store
        .append_opened(&opened, step(2), b"3")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(store.raw_steps(&id).await.unwrap().is_empty());
}

/// The blocking twins of `open_latest_of` / `append_opened` (a request's step read, run and
/// saved on one blocking thread) see and make the same steps as the async ones: each sees the
/// other's writes, a stale or racing write conflicts, the session's `modified` is touched in a
/// form the listing reads, and the interview and secret are checked.
async fn blocking_steps_match_the_async_ones(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let c = Credentials::secret(&secret);
    let id = store
        .create_session(A, Owner::Anonymous(&secret), b"1")
        .await
        .unwrap();
    let blocking = |f: Box<dyn FnOnce(&server::store::Store) + Send>| {
        let store = store.clone();
        async move {
            tokio::task::spawn_blocking(move || f(&store))
                .await
                .unwrap()
        }
    };
    let created = store.list_sessions(c, None).await.unwrap()[0].modified;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (id2, owned) = (id.clone(), c.owned());
    blocking(Box::new(move |store| {
        let (first, opened) = store
            .open_latest_of_blocking(&id2, A, owned.borrow())
            .unwrap();
        assert_eq!((first.number, first.state.as_slice()), (step(1), &b"1"[..]));
        assert_eq!(
            store
                .append_opened_blocking(&opened, step(1), b"2")
                .unwrap(),
            step(2)
        );
        // The same opened step again (a stale request) loses and writes nothing.
        let err = store
            .append_opened_blocking(&opened, step(1), b"x")
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    }))
    .await;
    let listed = store.list_sessions(c, None).await.unwrap();
    assert!(
        listed[0].modified > created,
        "{} > {created}",
        listed[0].modified
    );
    assert_eq!(listed[0].steps, step(2));
    // A session made on a blocking thread reads back through the async store.
    let owned = c.owned();
    let made = tokio::task::spawn_blocking({
        let store = store.clone();
        move || {
            let creds = owned.borrow();
            let secret = creds.secret.unwrap();
            store
                .create_session_blocking(B, Owner::Anonymous(secret), b"b1")
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(
        store.latest_step_of(&made, B, c).await.unwrap().state,
        b"b1"
    );
    assert_eq!(store.list_sessions(c, Some(B)).await.unwrap().len(), 1);
    let (latest, opened) = store.open_latest(&id, c).await.unwrap();
    assert_eq!(latest.state, b"2");
    store.append_opened(&opened, step(2), b"3").await.unwrap();

    let (id2, owned) = (id.clone(), c.owned());
    blocking(Box::new(move |store| {
        // The async write is seen; racing writers at the same step: exactly one wins.
        let (latest, _) = store
            .open_latest_of_blocking(&id2, A, owned.borrow())
            .unwrap();
        assert_eq!(
            (latest.number, latest.state.as_slice()),
            (step(3), &b"3"[..])
        );
        let wins = std::thread::scope(|scope| {
            let racers: Vec<_> = (0..4)
                .map(|n| {
                    let (id, owned) = (&id2, &owned);
                    scope.spawn(move || {
                        let (_, opened) = store
                            .open_latest_of_blocking(id, A, owned.borrow())
                            .unwrap();
                        store
                            .append_opened_blocking(&opened, step(3), format!("r{n}").as_bytes())
                            .is_ok()
                    })
                })
                .collect();
            racers
                .into_iter()
                .map(|r| r.join().unwrap())
                .filter(|won| *won)
                .count()
        });
        assert_eq!(wins, 1);
        let err = store
            .open_latest_of_blocking(&id2, B, owned.borrow())
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        let other = Secret::generate().unwrap();
        let err = store
            .open_latest_of_blocking(&id2, A, Credentials::secret(&other))
            .unwrap_err();
        assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    }))
    .await;
    let latest = store.latest_step(&id, c).await.unwrap();
    assert_eq!(latest.number, step(4));
    assert!(latest.state.starts_with(b"r"), "{:?}", latest.state);
    assert_eq!(store.raw_steps(&id).await.unwrap().len(), 4);
}

async fn migrations_are_idempotent(t: &TestStore) {
    let store = &t.store;
    assert!(store.pending_migrations().await.unwrap().is_empty());
    assert!(store.migrate().await.unwrap().is_empty());
}

backend_tests!(
    back_deletes_the_newest_step,
    stale_writes_conflict,
    concurrent_writers,
    list_and_delete,
    purge_idle_sessions,
    opened_sessions_write_once_and_touch_modified,
    blocking_steps_match_the_async_ones,
    migrations_are_idempotent,
);
