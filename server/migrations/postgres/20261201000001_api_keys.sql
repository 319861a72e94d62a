-- API keys (docassemble's /api keys): 32 random letters and digits, kept only as a keyed
-- digest; `method` restricts where a key may be used from ('none', 'ip', 'referer').
CREATE TABLE api_keys (
    key_digest BYTEA PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('none', 'ip', 'referer')),
    -- JSON list of allowed IP addresses/networks or referer patterns.
    constraints TEXT NOT NULL,
    last_four TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, name)
);
CREATE INDEX api_keys_user ON api_keys (user_id);
