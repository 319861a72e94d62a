-- User accounts, roles, sign-ins, one-time tokens, recovery codes, throttling and the audit log.
--
-- Sessions may now be held by a user ('user'). SQLite cannot change a CHECK constraint, and the
-- migration runs inside a transaction (where foreign keys cannot be switched off), so sessions,
-- steps and files are copied into new tables whose foreign keys point at the new sessions table;
-- the old tables are dropped children first (nothing cascades into the copies), then the
-- renames carry the references along.

CREATE TABLE sessions_new (
    id TEXT PRIMARY KEY NOT NULL,
    interview TEXT NOT NULL,
    -- Who can unwrap the data key: 'anonymous' (the secret cookie), 'server' (multi_user) or
    -- 'user' (a signed-in user's key).
    holder TEXT NOT NULL CHECK (holder IN ('anonymous', 'server', 'user')),
    holder_tag BLOB,
    -- The signed-in owner, if any.
    user_id INTEGER,
    wrapped_key BLOB NOT NULL,
    key_version INTEGER NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
) STRICT;
INSERT INTO sessions_new SELECT id, interview, holder, holder_tag, user_id, wrapped_key,
    key_version, created, modified FROM sessions;

CREATE TABLE steps_new (
    session_id TEXT NOT NULL REFERENCES sessions_new (id) ON DELETE CASCADE,
    step INTEGER NOT NULL CHECK (step >= 1),
    interview TEXT NOT NULL,
    user_id INTEGER,
    key_version INTEGER NOT NULL,
    ciphertext BLOB NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    PRIMARY KEY (session_id, step)
) STRICT;
INSERT INTO steps_new SELECT session_id, step, interview, user_id, key_version, ciphertext,
    created, modified FROM steps;

CREATE TABLE files_new (
    session_id TEXT NOT NULL REFERENCES sessions_new (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    key_version INTEGER NOT NULL,
    ciphertext BLOB NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (session_id, number)
) STRICT;
INSERT INTO files_new SELECT session_id, number, key_version, ciphertext, created FROM files;

DROP TABLE files;
DROP TABLE steps;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE steps_new RENAME TO steps;
ALTER TABLE files_new RENAME TO files;
CREATE INDEX sessions_holder_tag ON sessions (holder_tag, modified);
CREATE INDEX sessions_user_id ON sessions (user_id, modified);
CREATE INDEX sessions_modified ON sessions (modified);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lower-cased, trimmed.
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'advocate', 'user')),
    -- Argon2id PHC string.
    password_hash TEXT NOT NULL,
    -- Salt and parameters of the key-encryption key (Argon2id of the password).
    kek_salt BLOB NOT NULL,
    kek_params TEXT NOT NULL,
    -- The user key sealed by the key-encryption key.
    wrapped_user_key BLOB NOT NULL,
    active INTEGER NOT NULL,
    email_confirmed INTEGER NOT NULL,
    -- The TOTP secret sealed by the server key; NULL: no two-factor sign-in.
    totp_secret BLOB,
    -- The newest TOTP time step used (a code works once).
    totp_last_step INTEGER,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
) STRICT;

-- Signed-in browsers: the cookie holds a random token; only its keyed digest is stored.
CREATE TABLE logins (
    token_digest BLOB PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The user key sealed by a key derived from the token (and the server key).
    wrapped_user_key BLOB NOT NULL,
    -- 'full', 'mfa' (password checked, code pending) or 'setup' (must set up two-factor).
    stage TEXT NOT NULL CHECK (stage IN ('full', 'mfa', 'setup')),
    remember INTEGER NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
) STRICT;
CREATE INDEX logins_user ON logins (user_id);

-- One-time e-mailed tokens (activation, password reset), by keyed digest.
CREATE TABLE account_tokens (
    token_digest BLOB PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
    expires TEXT NOT NULL
) STRICT;

-- Two-factor recovery codes, by keyed digest; a code is deleted when used.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_digest BLOB NOT NULL,
    PRIMARY KEY (user_id, code_digest)
) STRICT;

-- Failed sign-ins per IP address ('ip:…') and per account ('account:…'), kept across restarts.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
) STRICT;

-- Security events (no foreign key: the history outlives a deleted account).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    user_id INTEGER,
    email TEXT,
    ip TEXT,
    detail TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);

