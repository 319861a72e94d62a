//! The store's encryption: round trips, wrong or missing secrets, tampering, swapped rows,
//! server-held (`multi_user`) sessions. Each test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use server::store::{Credentials, HolderKind, Owner, Secret, StepNumber, StoreError};
use store_support::TestStore;

const INTERVIEW: &str = "demo:data/questions/hello.yml";

async fn round_trip(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let id = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"{\"step\":1}")
        .await
        .unwrap();
    let step = store
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap();
    assert_eq!(step.number, StepNumber::FIRST);
    assert_eq!(step.state, b"{\"step\":1}");
    // Arbitrary bytes, including empty and large states.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let two = store
        .append_step(&id, step.number, Credentials::secret(&secret), &big)
        .await
        .unwrap();
    assert_eq!(two.get(), 2);
    let three = store
        .append_step(&id, two, Credentials::secret(&secret), b"")
        .await
        .unwrap();
    let latest = store
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap();
    assert_eq!((latest.number, latest.state.as_slice()), (three, &b""[..]));
    let back = store
        .back(&id, three, Credentials::secret(&secret))
        .await
        .unwrap();
    assert_eq!((back.number, back.state), (two, big));
    // Nothing stored is plaintext.
    for (_, ct) in store.raw_steps(&id).await.unwrap() {
        assert!(
            !ct.windows(8).any(|w| w == b"{\"step\":"),
            "plaintext in the database"
        );
    }
}

async fn wrong_or_missing_secret(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let other = Secret::generate().unwrap();
    let id = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"private")
        .await
        .unwrap();
    let err = store
        .latest_step(&id, Credentials::secret(&other))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Decrypt { ref session } if *session == id),
        "{err:?}"
    );
    let err = store
        .latest_step(&id, Credentials::none())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::SecretRequired(_)), "{err:?}");
    // Writes, back and delete check the secret too.
    let err = store
        .append_step(&id, StepNumber::FIRST, Credentials::secret(&other), b"x")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    let err = store
        .delete_session(&id, Credentials::secret(&other))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    assert_eq!(
        store
            .latest_step(&id, Credentials::secret(&secret))
            .await
            .unwrap()
            .state,
        b"private"
    );
    // The database plus the cookie without the server key opens nothing.
    let stolen = t.with_other_server_key().await;
    let err = stolen
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    stolen.close().await;
    // An unknown session.
    let missing = server::store::SessionId::generate().unwrap();
    let err = store
        .latest_step(&missing, Credentials::secret(&secret))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}

async fn tampered_ciphertext(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let id = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"original state")
        .await
        .unwrap();
    let rows = store.raw_steps(&id).await.unwrap();
    let (step, mut ct) = rows.into_iter().next().unwrap();
    let last = ct.len() - 1;
    ct[last] ^= 0x01;
    store.raw_set_ciphertext(&id, step, &ct).await.unwrap();
    let err = store
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    // Truncated to nothing.
    store.raw_set_ciphertext(&id, step, &[]).await.unwrap();
    let err = store
        .latest_step(&id, Credentials::secret(&secret))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
}

async fn swapped_rows(t: &TestStore) {
    let store = &t.store;
    let secret = Secret::generate().unwrap();
    let creds = Credentials::secret(&secret);
    let id = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"step one")
        .await
        .unwrap();
    let two = store
        .append_step(&id, StepNumber::FIRST, creds, b"step two")
        .await
        .unwrap();
    let rows = store.raw_steps(&id).await.unwrap();
    assert_eq!(rows.len(), 2);
    // Swap the ciphertexts of steps 1 and 2.
    store.raw_set_ciphertext(&id, 1, &rows[1].1).await.unwrap();
    store.raw_set_ciphertext(&id, 2, &rows[0].1).await.unwrap();
    let err = store.latest_step(&id, creds).await.unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    // Restore step 2, break step 1: back reaches the swapped row and refuses it.
    store.raw_set_ciphertext(&id, 2, &rows[1].1).await.unwrap();
    assert_eq!(
        store.latest_step(&id, creds).await.unwrap().state,
        b"step two"
    );
    let err = store.back(&id, two, creds).await.unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");

    // Across sessions of the same holder: a row moved to another session does not open.
    let a = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"session a")
        .await
        .unwrap();
    let b = store
        .create_session(INTERVIEW, Owner::Anonymous(&secret), b"session b")
        .await
        .unwrap();
    let a_ct = store.raw_steps(&a).await.unwrap().remove(0).1;
    store.raw_set_ciphertext(&b, 1, &a_ct).await.unwrap();
    let err = store.latest_step(&b, creds).await.unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    assert_eq!(
        store.latest_step(&a, creds).await.unwrap().state,
        b"session a"
    );
}

async fn multi_user_sessions(t: &TestStore) {
    let store = &t.store;
    let creator = Secret::generate().unwrap();
    let id = store
        .create_session(
            INTERVIEW,
            Owner::Server {
                creator: Some(&creator),
            },
            b"shared",
        )
        .await
        .unwrap();
    // Any participant: no secret, or someone else's.
    let stranger = Secret::generate().unwrap();
    assert_eq!(
        store
            .latest_step(&id, Credentials::none())
            .await
            .unwrap()
            .state,
        b"shared"
    );
    let two = store
        .append_step(
            &id,
            StepNumber::FIRST,
            Credentials::secret(&stranger),
            b"edited",
        )
        .await
        .unwrap();
    assert_eq!(two.get(), 2);
    assert_eq!(
        store.session_holder(&id).await.unwrap(),
        (HolderKind::Server, INTERVIEW.to_owned())
    );
    // The creator lists it.
    let listed = store
        .list_sessions(Credentials::secret(&creator), None)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].holder, HolderKind::Server);
    // Without the server key the wrapped key does not open.
    let stolen = t.with_other_server_key().await;
    let err = stolen
        .latest_step(&id, Credentials::none())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    stolen.close().await;

    // Switching holders re-wraps the key: multi_user turned off → only the secret opens it.
    store
        .set_owner(&id, Credentials::none(), Owner::Anonymous(&creator))
        .await
        .unwrap();
    let err = store
        .latest_step(&id, Credentials::none())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::SecretRequired(_)), "{err:?}");
    let err = store
        .latest_step(&id, Credentials::secret(&stranger))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Decrypt { .. }), "{err:?}");
    let step = store
        .latest_step(&id, Credentials::secret(&creator))
        .await
        .unwrap();
    assert_eq!((step.number, step.state.as_slice()), (two, &b"edited"[..]));
    // And back to the server.
    store
        .set_owner(
            &id,
            Credentials::secret(&creator),
            Owner::Server { creator: None },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .latest_step(&id, Credentials::none())
            .await
            .unwrap()
            .state,
        b"edited"
    );
}

backend_tests!(
    round_trip,
    wrong_or_missing_secret,
    tampered_ciphertext,
    swapped_rows,
    multi_user_sessions,
);
