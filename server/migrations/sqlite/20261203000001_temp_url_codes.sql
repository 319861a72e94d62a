-- Temporary redirect links (/api/temp_url → /goto?c=) are codes too: the purpose check
-- admits 'temp_url'. SQLite cannot change a CHECK constraint, so the table is rebuilt.

CREATE TABLE api_codes_new (
    code_digest BLOB PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'resume', 'stash', 'temp_url')),
    sealed BLOB NOT NULL,
    -- 1: deleted when first used.
    once INTEGER NOT NULL,
    expires TEXT NOT NULL,
    created TEXT NOT NULL
) STRICT;
INSERT INTO api_codes_new (code_digest, purpose, sealed, once, expires, created)
    SELECT code_digest, purpose, sealed, once, expires, created FROM api_codes;
DROP TABLE api_codes;
ALTER TABLE api_codes_new RENAME TO api_codes;
CREATE INDEX api_codes_expires ON api_codes (expires);
