-- Sessions and their steps (docassemble's userdict: one row per step).
-- Timestamps are UTC, RFC 3339 text; blobs are XChaCha20-Poly1305 envelopes (nonce ‖ ciphertext ‖ tag).

CREATE TABLE sessions (
    -- 32 random [A-Za-z0-9] characters.
    id TEXT PRIMARY KEY NOT NULL,
    -- The interview: package:path/file.yml.
    interview TEXT NOT NULL,
    -- Who can unwrap the data key: 'anonymous' (the secret cookie) or 'server' (multi_user).
    holder TEXT NOT NULL CHECK (holder IN ('anonymous', 'server')),
    -- HMAC(server key, secret) of the anonymous holder or creator, to list their sessions.
    holder_tag BLOB,
    -- The signed-in owner (accounts come later; no foreign key yet).
    user_id INTEGER,
    -- The session's data key, sealed by the holder's key.
    wrapped_key BLOB NOT NULL,
    key_version INTEGER NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_holder_tag ON sessions (holder_tag, modified);
CREATE INDEX sessions_user_id ON sessions (user_id, modified);
CREATE INDEX sessions_modified ON sessions (modified);

CREATE TABLE steps (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- 1, 2, …: back deletes the newest; the primary key makes racing writers conflict.
    step INTEGER NOT NULL CHECK (step >= 1),
    interview TEXT NOT NULL,
    user_id INTEGER,
    key_version INTEGER NOT NULL,
    -- The engine's serialised state, sealed by the data key; bound to (session, step, version).
    ciphertext BLOB NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    PRIMARY KEY (session_id, step)
) STRICT;
