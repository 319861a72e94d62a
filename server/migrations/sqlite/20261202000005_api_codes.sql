-- Codes the API hands out (docassemble keeps them in Redis): auto-login links
-- (/api/login_url), resume links (/api/resume_url) and stashed data (/api/stash_data).
-- A code is never stored: the row is found by a keyed digest (HMAC with the server key) of
-- the code, and its payload is sealed (XChaCha20-Poly1305) under a key derived from the
-- code's secret part and the server key. In the database, so every replica sees them.

CREATE TABLE api_codes (
    code_digest BLOB PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'resume', 'stash')),
    sealed BLOB NOT NULL,
    -- 1: deleted when first used.
    once INTEGER NOT NULL,
    expires TEXT NOT NULL,
    created TEXT NOT NULL
) STRICT;
CREATE INDEX api_codes_expires ON api_codes (expires);
