-- Uploaded files (docassemble's uploads table plus the file bytes), one row per file.
-- The blob is an XChaCha20-Poly1305 envelope (nonce ‖ ciphertext ‖ tag) under the session's data
-- key, bound to (session, number, key version); it holds the file name, media type and bytes, so
-- nothing about the file is readable without the session's key.

CREATE TABLE files (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- 1, 2, … per session (the number in /uploadedfile/{session}/{number}).
    number BIGINT NOT NULL CHECK (number >= 1),
    key_version BIGINT NOT NULL,
    ciphertext BYTEA NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, number)
);
