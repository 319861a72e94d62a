//! The server's configuration: built-in defaults, then a TOML file (`--config colloquy.toml`
//! or `COLLOQUY_CONFIG`), then `COLLOQUY_<KEY>` environment variables, then command-line flags;
//! each later source overrides the earlier ones key by key.
//!
//! Unknown keys are errors wherever they appear (a misspelt `max_upload_byte` must not be
//! silently ignored), and every error names the key and where it came from. [`KEYS`] documents
//! each key; `server/CONFIG.md` is the same table for people (a test keeps them in step).

mod accounts;
mod env;
mod file;
mod proxies;

use std::ffi::OsString;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

pub use accounts::MailerKind;
pub use env::{NOT_KEYS, PREFIX};
pub use proxies::ProxyNet;
pub use proxies::canonical as proxies_canonical;

/// Where a value came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The configuration file at this path.
    File(PathBuf),
    /// This environment variable.
    Env(String),
    /// A command-line flag.
    Cli,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "configuration file {}", p.display()),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::Cli => f.write_str("the command line"),
        }
    }
}

/// A configuration that cannot be used. The server does not start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key this version does not know (file key, or `COLLOQUY_*` variable name).
    #[error("unknown configuration key `{key}` in {from} (see CONFIG.md for the keys)")]
    UnknownKey { key: String, from: Source },
    /// A value of the wrong type or out of range.
    #[error("invalid value for `{key}` in {from}: {message}")]
    Invalid {
        key: String,
        from: Source,
        message: String,
    },
    /// `cross_site_domains` contains `*`: refused because cross-site requests carry cookies.
    #[error(
        "`cross_site_domains` in {from} contains the wildcard {origin:?}: it is refused because \
         cross-site requests carry credentials (cookies); list each origin, e.g. \
         \"https://forms.example.org\""
    )]
    WildcardOrigin { origin: String, from: Source },
    /// The configuration file cannot be read.
    #[error("cannot read the configuration file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Whether cookies get the `Secure` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecureCookies {
    /// Secure unless the server listens on a loopback address (local development over HTTP).
    #[default]
    Auto,
    /// Always Secure (the server is reached over HTTPS, e.g. behind a TLS proxy).
    Always,
    /// Never Secure (plain HTTP; not for production).
    Never,
}

impl<'de> Deserialize<'de> for SecureCookies {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SecureCookies;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"auto\", true or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<SecureCookies, E> {
                Ok(if v {
                    SecureCookies::Always
                } else {
                    SecureCookies::Never
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SecureCookies, E> {
                match v.trim() {
                    "auto" => Ok(SecureCookies::Auto),
                    "true" => Ok(SecureCookies::Always),
                    "false" => Ok(SecureCookies::Never),
                    other => Err(E::custom(format!(
                        "expected \"auto\", true or false, not {other:?}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// One key's documentation.
#[derive(Debug, Clone, Copy)]
pub struct KeyDoc {
    /// The key in the file; the variable is `COLLOQUY_` + its upper-case form.
    pub name: &'static str,
    /// Its type, as written in TOML.
    pub kind: &'static str,
    /// Its default.
    pub default: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// Every configuration key.
pub const KEYS: &[KeyDoc] = &[
    KeyDoc {
        name: "listen",
        kind: "address:port",
        default: "`127.0.0.1:8080`",
        doc: "Address and port the HTTP server listens on.",
    },
    KeyDoc {
        name: "data",
        kind: "path",
        default: "`./data`",
        doc: "Data directory: the SQLite database and the server key `server.key` (created on \
              first start, mode 0600; the server refuses to start if it is readable by others \
              or malformed). Back it up: without the key no session can be read.",
    },
    KeyDoc {
        name: "packages",
        kind: "list of paths",
        default: "`[]`",
        doc: "Package roots holding interviews (the layout of unpacked docassemble wheels). \
              In the environment: comma-separated.",
    },
    KeyDoc {
        name: "dist",
        kind: "path",
        default: "`./dist`",
        doc: "The built web app (Trunk's `dist/`).",
    },
    KeyDoc {
        name: "database",
        kind: "URL",
        default: "`sqlite:` *data*`/colloquy.db`",
        doc: "Database URL: `sqlite:PATH` or `postgres://user:password@host:port/db`. \
              Migrations are applied on start-up (or by `colloquy migrate`).",
    },
    KeyDoc {
        name: "cross_site_domains",
        kind: "list of origins",
        default: "`[]`",
        doc: "Origins (`https://host[:port]`) whose pages may call the server with cookies \
              (CORS with credentials, CSP `frame-ancestors`); the `/api/*` routes answer these \
              origins too, without credentials (the key goes in a header). The wildcard `*` is \
              refused. In the environment: comma-separated.",
    },
    KeyDoc {
        name: "max_upload_bytes",
        kind: "integer",
        default: "`10485760` (10 MiB)",
        doc: "Largest request body accepted; larger requests get 413.",
    },
    KeyDoc {
        name: "request_timeout_seconds",
        kind: "integer",
        default: "`30`",
        doc: "Time limit for one request; slower requests get 408.",
    },
    KeyDoc {
        name: "secure_cookies",
        kind: "`\"auto\"`, `true`, `false`",
        default: "`\"auto\"`",
        doc: "The `Secure` cookie attribute. `auto`: on unless `listen` is a loopback address. \
              Set `true` behind an HTTPS proxy.",
    },
    KeyDoc {
        name: "session_lifetime_days",
        kind: "integer",
        default: "`90`",
        doc: "Sessions not modified for this many days are deleted (docassemble's `interview \
              delete days`).",
    },
    KeyDoc {
        name: "loop_limit",
        kind: "integer",
        default: "`500`",
        doc: "Most passes the interview engine makes over the blocks to find the next question \
              in one request (docassemble's `loop limit`).",
    },
    KeyDoc {
        name: "public_url",
        kind: "URL",
        default: "`http://` *listen*",
        doc: "The address people reach the server at (`https://forms.example.org`), used in e-mailed links and the API's login and resume links. Set it in production: links are never built from the request's `Host` header.",
    },
    KeyDoc {
        name: "allow_registration",
        kind: "boolean",
        default: "`true`",
        doc: "Whether people can create accounts at `/user/register` (docassemble's `allow registration`). Accounts need e-mail activation before the first sign-in.",
    },
    KeyDoc {
        name: "mailer",
        kind: "`\"console\"`, `\"file\"`, `\"smtp\"`",
        default: "`\"console\"`",
        doc: "How e-mail (activation, password reset) is sent: printed to the log, written as one `.eml` file per message to `mail_dir`, or sent through `smtp_url`.",
    },
    KeyDoc {
        name: "mail_dir",
        kind: "path",
        default: "*data*`/mail`",
        doc: "Directory of the `file` mailer (created if missing).",
    },
    KeyDoc {
        name: "mail_from",
        kind: "e-mail address",
        default: "`Colloquy <noreply@localhost>`",
        doc: "The `From:` of e-mail the server sends.",
    },
    KeyDoc {
        name: "smtp_url",
        kind: "URL",
        default: "none",
        doc: "SMTP server of the `smtp` mailer: `smtps://host:465` (TLS) or `smtp://host:587?tls=required` (STARTTLS), with the SMTP login as the URL's user-info part. Plain-text SMTP is refused.",
    },
    KeyDoc {
        name: "password_min_length",
        kind: "integer",
        default: "`10`",
        doc: "Shortest password accepted (docassemble's `password complexity`).",
    },
    KeyDoc {
        name: "password_min_lowercase",
        kind: "integer",
        default: "`1`",
        doc: "Lower-case letters a password needs.",
    },
    KeyDoc {
        name: "password_min_uppercase",
        kind: "integer",
        default: "`1`",
        doc: "Upper-case letters a password needs.",
    },
    KeyDoc {
        name: "password_min_digits",
        kind: "integer",
        default: "`1`",
        doc: "Digits a password needs.",
    },
    KeyDoc {
        name: "password_min_punctuation",
        kind: "integer",
        default: "`0`",
        doc: "Other characters (not letters or digits) a password needs.",
    },
    KeyDoc {
        name: "argon2_memory_kib",
        kind: "integer",
        default: "`19456`",
        doc: "Argon2id memory cost in KiB for password hashes and the password-derived key (OWASP's minimum; raise it on big servers). Stored with each hash, so changing it does not lock anyone out.",
    },
    KeyDoc {
        name: "argon2_iterations",
        kind: "integer",
        default: "`2`",
        doc: "Argon2id time cost (passes).",
    },
    KeyDoc {
        name: "login_attempt_limit",
        kind: "integer",
        default: "`10`",
        doc: "Failed sign-ins from one IP address, or for one account, before it is locked out for `login_ban_seconds` (docassemble's `attempt limit`). Counted in the database, so lockouts survive restarts.",
    },
    KeyDoc {
        name: "login_ban_seconds",
        kind: "integer",
        default: "`86400`",
        doc: "How long a lockout lasts, and the window failures are counted in (docassemble's `ban period`).",
    },
    KeyDoc {
        name: "login_rate_per_minute",
        kind: "integer",
        default: "`30`",
        doc: "Sign-in, registration and reset requests accepted per minute from one IP address (in memory, a fast first line before the database counters); more get 429.",
    },
    KeyDoc {
        name: "two_factor_required_for",
        kind: "list of roles",
        default: "`[]`",
        doc: "Roles that must sign in with a one-time code (TOTP); they are asked to set it up at their first sign-in. Anyone may turn it on. In the environment: comma-separated.",
    },
    KeyDoc {
        name: "remember_me_days",
        kind: "integer",
        default: "`30`",
        doc: "Lifetime of a sign-in with *remember me* (a persistent cookie).",
    },
    KeyDoc {
        name: "sign_in_hours",
        kind: "integer",
        default: "`12`",
        doc: "Lifetime of a sign-in without *remember me* (the cookie ends with the browser session).",
    },
    KeyDoc {
        name: "frame_ancestors",
        kind: "list of origins",
        default: "`[]`",
        doc: "Origins allowed to embed the server's pages in a frame (CSP `frame-ancestors`, after `'self'`); none: only the server itself. In the environment: comma-separated.",
    },
    KeyDoc {
        name: "trusted_proxies",
        kind: "list of IP networks",
        default: "`[]`",
        doc: "Reverse proxies (`127.0.0.1`, `10.0.0.0/8`, `::1`) whose `X-Forwarded-For` header names the client: a request from one of them is counted (sign-in throttling, audit log) as coming from the rightmost address in that header that is not itself a trusted proxy. Requests from anywhere else are taken at their TCP address and the header is ignored, so it cannot be forged. Set it behind nginx, or every client shares the proxy's sign-in throttle. In the environment: comma-separated.",
    },
];

/// One source's settings: every key optional, unknown keys refused.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Address and port to listen on.
    pub listen: Option<SocketAddr>,
    /// The data directory (database, server key).
    pub data: Option<PathBuf>,
    /// Package roots holding interviews.
    pub packages: Option<Vec<PathBuf>>,
    /// The built web app.
    pub dist: Option<PathBuf>,
    /// Database URL; default SQLite in the data directory.
    pub database: Option<String>,
    /// Origins allowed to make credentialed cross-site requests.
    pub cross_site_domains: Option<Vec<String>>,
    /// Largest request body in bytes.
    pub max_upload_bytes: Option<u64>,
    /// Per-request time limit in seconds.
    pub request_timeout_seconds: Option<u64>,
    /// The cookies' `Secure` attribute.
    pub secure_cookies: Option<SecureCookies>,
    /// Idle sessions are deleted after this many days.
    pub session_lifetime_days: Option<u32>,
    /// The engine's limit of passes per request.
    pub loop_limit: Option<u32>,
    /// See [`KEYS`].
    pub public_url: Option<String>,
    /// See [`KEYS`].
    pub allow_registration: Option<bool>,
    /// See [`KEYS`].
    pub mailer: Option<MailerKind>,
    /// See [`KEYS`].
    pub mail_dir: Option<PathBuf>,
    /// See [`KEYS`].
    pub mail_from: Option<String>,
    /// See [`KEYS`].
    pub smtp_url: Option<String>,
    /// See [`KEYS`].
    pub password_min_length: Option<u32>,
    /// See [`KEYS`].
    pub password_min_lowercase: Option<u32>,
    /// See [`KEYS`].
    pub password_min_uppercase: Option<u32>,
    /// See [`KEYS`].
    pub password_min_digits: Option<u32>,
    /// See [`KEYS`].
    pub password_min_punctuation: Option<u32>,
    /// See [`KEYS`].
    pub argon2_memory_kib: Option<u32>,
    /// See [`KEYS`].
    pub argon2_iterations: Option<u32>,
    /// See [`KEYS`].
    pub login_attempt_limit: Option<u32>,
    /// See [`KEYS`].
    pub login_ban_seconds: Option<u64>,
    /// See [`KEYS`].
    pub login_rate_per_minute: Option<u32>,
    /// See [`KEYS`].
    pub two_factor_required_for: Option<Vec<String>>,
    /// See [`KEYS`].
    pub remember_me_days: Option<u32>,
    /// See [`KEYS`].
    pub sign_in_hours: Option<u32>,
    /// See [`KEYS`].
    pub frame_ancestors: Option<Vec<String>>,
    /// See [`KEYS`].
    pub trusted_proxies: Option<Vec<ProxyNet>>,
}

impl Layer {
    /// `other`'s values replace this layer's, key by key.
    fn merge(&mut self, other: Layer) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            listen,
            data,
            packages,
            dist,
            database,
            cross_site_domains,
            max_upload_bytes,
            request_timeout_seconds,
            secure_cookies,
            session_lifetime_days,
            loop_limit,
            public_url,
            allow_registration,
            mailer,
            mail_dir,
            mail_from,
            smtp_url,
            password_min_length,
            password_min_lowercase,
            password_min_uppercase,
            password_min_digits,
            password_min_punctuation,
            argon2_memory_kib,
            argon2_iterations,
            login_attempt_limit,
            login_ban_seconds,
            login_rate_per_minute,
            two_factor_required_for,
            remember_me_days,
            sign_in_hours,
            frame_ancestors,
            trusted_proxies
        );
    }

    /// Checks the values this layer sets, normalising origins.
    fn validate(&mut self, from: &Source) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            key: key.to_owned(),
            from: from.clone(),
            message,
        };
        if let Some(origins) = &mut self.cross_site_domains {
            for origin in origins.iter_mut() {
                *origin = parse_origin(origin).map_err(|e| match e {
                    OriginError::Wildcard => ConfigError::WildcardOrigin {
                        origin: origin.clone(),
                        from: from.clone(),
                    },
                    OriginError::Malformed(why) => {
                        invalid("cross_site_domains", format!("{origin:?}: {why}"))
                    }
                })?;
            }
        }
        if let Some(url) = &self.database {
            crate::store::Database::parse(url).map_err(|e| invalid("database", e.to_string()))?;
        }
        let positive = [
            ("max_upload_bytes", self.max_upload_bytes),
            ("request_timeout_seconds", self.request_timeout_seconds),
            (
                "session_lifetime_days",
                self.session_lifetime_days.map(u64::from),
            ),
            ("loop_limit", self.loop_limit.map(u64::from)),
            (
                "password_min_length",
                self.password_min_length.map(u64::from),
            ),
            ("argon2_memory_kib", self.argon2_memory_kib.map(u64::from)),
            ("argon2_iterations", self.argon2_iterations.map(u64::from)),
            (
                "login_attempt_limit",
                self.login_attempt_limit.map(u64::from),
            ),
            ("login_ban_seconds", self.login_ban_seconds),
            (
                "login_rate_per_minute",
                self.login_rate_per_minute.map(u64::from),
            ),
            ("remember_me_days", self.remember_me_days.map(u64::from)),
            ("sign_in_hours", self.sign_in_hours.map(u64::from)),
        ];
        for (key, value) in positive {
            if value == Some(0) {
                return Err(invalid(key, "must be at least 1".into()));
            }
        }
        self.validate_accounts(from)?;
        for (key, path) in [("data", &self.data), ("dist", &self.dist)] {
            if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
                return Err(invalid(key, "the path is empty".into()));
            }
        }
        Ok(())
    }
}

enum OriginError {
    Wildcard,
    Malformed(&'static str),
}

/// `scheme://host[:port]`, lower-cased; no path, no wildcard.
fn parse_origin(origin: &str) -> Result<String, OriginError> {
    let o = origin.trim();
    if o.contains('*') {
        return Err(OriginError::Wildcard);
    }
    let (scheme, rest) = o.split_once("://").ok_or(OriginError::Malformed(
        "an origin looks like https://host[:port]",
    ))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(OriginError::Malformed("the scheme must be https or http"));
    }
    if rest.is_empty() {
        return Err(OriginError::Malformed("the host is missing"));
    }
    if rest.contains(['/', '?', '#', '@']) || rest.chars().any(char::is_whitespace) {
        return Err(OriginError::Malformed(
            "an origin has no path, query, user or spaces (https://host[:port])",
        ));
    }
    if let Some((_, port)) = rest.rsplit_once(':')
        && !rest.ends_with(']')
        && port.parse::<u16>().is_err()
    {
        return Err(OriginError::Malformed("the port is not a number"));
    }
    Ok(format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

/// What the command line sets (`None`: not given). The lead's `serve` flags map onto this.
#[derive(Debug, Clone, Default)]
pub struct CliOverrides {
    /// `--config PATH`: the configuration file (else `COLLOQUY_CONFIG`, else none).
    pub config: Option<PathBuf>,
    /// `--listen`.
    pub listen: Option<SocketAddr>,
    /// `--data`.
    pub data: Option<PathBuf>,
    /// `--packages` (repeatable); `None` when not given.
    pub packages: Option<Vec<PathBuf>>,
    /// `--dist`.
    pub dist: Option<PathBuf>,
    /// `--database`.
    pub database: Option<String>,
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// See [`KEYS`] for each field.
    pub listen: SocketAddr,
    pub data: PathBuf,
    pub packages: Vec<PathBuf>,
    pub dist: PathBuf,
    /// `None`: SQLite in `data/colloquy.db`.
    pub database: Option<String>,
    /// Normalised origins (`https://host[:port]`, lower case).
    pub cross_site_domains: Vec<String>,
    pub max_upload_bytes: u64,
    pub request_timeout_seconds: u64,
    pub secure_cookies: SecureCookies,
    pub session_lifetime_days: u32,
    pub loop_limit: u32,
    pub public_url: Option<String>,
    pub allow_registration: bool,
    pub mailer: MailerKind,
    pub mail_dir: Option<PathBuf>,
    pub mail_from: String,
    pub smtp_url: Option<String>,
    pub password_min_length: u32,
    pub password_min_lowercase: u32,
    pub password_min_uppercase: u32,
    pub password_min_digits: u32,
    pub password_min_punctuation: u32,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub login_attempt_limit: u32,
    pub login_ban_seconds: u64,
    pub login_rate_per_minute: u32,
    pub two_factor_required_for: Vec<String>,
    pub remember_me_days: u32,
    pub sign_in_hours: u32,
    pub frame_ancestors: Vec<String>,
    pub trusted_proxies: Vec<ProxyNet>,
    /// The configuration file that was read, if any.
    pub config_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("./data"),
            packages: Vec::new(),
            dist: PathBuf::from("./dist"),
            database: None,
            cross_site_domains: Vec::new(),
            max_upload_bytes: 10 * 1024 * 1024,
            request_timeout_seconds: 30,
            secure_cookies: SecureCookies::Auto,
            session_lifetime_days: 90,
            loop_limit: 500,
            public_url: None,
            allow_registration: true,
            mailer: MailerKind::Console,
            mail_dir: None,
            mail_from: "Colloquy <noreply@localhost>".to_string(),
            smtp_url: None,
            password_min_length: 10,
            password_min_lowercase: 1,
            password_min_uppercase: 1,
            password_min_digits: 1,
            password_min_punctuation: 0,
            argon2_memory_kib: 19456,
            argon2_iterations: 2,
            login_attempt_limit: 10,
            login_ban_seconds: 86400,
            login_rate_per_minute: 30,
            two_factor_required_for: Vec::new(),
            remember_me_days: 30,
            sign_in_hours: 12,
            frame_ancestors: Vec::new(),
            trusted_proxies: Vec::new(),
            config_file: None,
        }
    }
}

impl Config {
    /// Defaults < file < `COLLOQUY_*` environment < command line, from the process
    /// environment.
    pub fn load(cli: CliOverrides) -> Result<Config, ConfigError> {
        Self::load_from(cli, std::env::vars_os())
    }

    /// Like [`Config::load`] with an explicit environment (tests).
    pub fn load_from(
        cli: CliOverrides,
        vars: impl IntoIterator<Item = (OsString, OsString)>,
    ) -> Result<Config, ConfigError> {
        let vars = env::collect(vars)?;
        let config_file = cli
            .config
            .clone()
            .or_else(|| env::config_file(&vars).map(PathBuf::from));

        let mut merged = Layer::default();
        if let Some(path) = &config_file {
            let mut layer = file::read(path)?;
            layer.validate(&Source::File(path.clone()))?;
            merged.merge(layer);
        }
        for (mut layer, from) in env::layers(&vars)? {
            layer.validate(&from)?;
            merged.merge(layer);
        }
        let mut cli_layer = Layer {
            listen: cli.listen,
            data: cli.data,
            packages: cli.packages,
            dist: cli.dist,
            database: cli.database,
            ..Layer::default()
        };
        cli_layer.validate(&Source::Cli)?;
        merged.merge(cli_layer);
        Ok(Config::from_layer(merged, config_file))
    }

    /// Parses configuration-file text (for `colloquy check`-style tools and tests).
    pub fn parse_file(text: &str, path: &Path) -> Result<Layer, ConfigError> {
        let mut layer = file::parse(text, path)?;
        layer.validate(&Source::File(path.to_path_buf()))?;
        Ok(layer)
    }

    fn from_layer(layer: Layer, config_file: Option<PathBuf>) -> Config {
        let d = Config::default();
        Config {
            listen: layer.listen.unwrap_or(d.listen),
            data: layer.data.unwrap_or(d.data),
            packages: layer.packages.unwrap_or(d.packages),
            dist: layer.dist.unwrap_or(d.dist),
            database: layer.database,
            cross_site_domains: layer.cross_site_domains.unwrap_or(d.cross_site_domains),
            max_upload_bytes: layer.max_upload_bytes.unwrap_or(d.max_upload_bytes),
            request_timeout_seconds: layer
                .request_timeout_seconds
                .unwrap_or(d.request_timeout_seconds),
            secure_cookies: layer.secure_cookies.unwrap_or(d.secure_cookies),
            session_lifetime_days: layer
                .session_lifetime_days
                .unwrap_or(d.session_lifetime_days),
            loop_limit: layer.loop_limit.unwrap_or(d.loop_limit),
            public_url: layer.public_url,
            allow_registration: layer.allow_registration.unwrap_or(d.allow_registration),
            mailer: layer.mailer.unwrap_or(d.mailer),
            mail_dir: layer.mail_dir,
            mail_from: layer.mail_from.unwrap_or(d.mail_from),
            smtp_url: layer.smtp_url,
            password_min_length: layer.password_min_length.unwrap_or(d.password_min_length),
            password_min_lowercase: layer
                .password_min_lowercase
                .unwrap_or(d.password_min_lowercase),
            password_min_uppercase: layer
                .password_min_uppercase
                .unwrap_or(d.password_min_uppercase),
            password_min_digits: layer.password_min_digits.unwrap_or(d.password_min_digits),
            password_min_punctuation: layer
                .password_min_punctuation
                .unwrap_or(d.password_min_punctuation),
            argon2_memory_kib: layer.argon2_memory_kib.unwrap_or(d.argon2_memory_kib),
            argon2_iterations: layer.argon2_iterations.unwrap_or(d.argon2_iterations),
            login_attempt_limit: layer.login_attempt_limit.unwrap_or(d.login_attempt_limit),
            login_ban_seconds: layer.login_ban_seconds.unwrap_or(d.login_ban_seconds),
            login_rate_per_minute: layer
                .login_rate_per_minute
                .unwrap_or(d.login_rate_per_minute),
            two_factor_required_for: layer
                .two_factor_required_for
                .unwrap_or(d.two_factor_required_for),
            remember_me_days: layer.remember_me_days.unwrap_or(d.remember_me_days),
            sign_in_hours: layer.sign_in_hours.unwrap_or(d.sign_in_hours),
            frame_ancestors: layer.frame_ancestors.unwrap_or(d.frame_ancestors),
            trusted_proxies: layer.trusted_proxies.unwrap_or(d.trusted_proxies),
            config_file,
        }
    }

    /// The database to open: `database` if set, else SQLite in the data directory.
    pub fn database(&self) -> Result<crate::store::Database, crate::store::StoreError> {
        crate::store::Database::resolve(self.database.as_deref(), &self.data)
    }

    /// Whether cookies get `Secure`, resolving `auto` from the listen address.
    pub fn cookies_secure(&self) -> bool {
        match self.secure_cookies {
            SecureCookies::Always => true,
            SecureCookies::Never => false,
            SecureCookies::Auto => !self.listen.ip().is_loopback(),
        }
    }

    /// `request_timeout_seconds` as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_seconds)
    }

    /// `session_lifetime_days` as a duration.
    pub fn session_lifetime(&self) -> time::Duration {
        time::Duration::days(i64::from(self.session_lifetime_days))
    }

    /// The key table in Markdown (the body of CONFIG.md's table).
    pub fn markdown_table() -> String {
        let mut out = String::from(
            "| key | environment variable | type | default | meaning |\n|---|---|---|---|---|\n",
        );
        for k in KEYS {
            out.push_str(&format!(
                "| `{}` | `{PREFIX}{}` | {} | {} | {} |\n",
                k.name,
                k.name.to_ascii_uppercase(),
                k.kind,
                k.default,
                k.doc.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let ok = |s: &str| parse_origin(s).ok().unwrap();
        assert_eq!(ok("https://A.example.org"), "https://a.example.org");
        assert_eq!(ok(" http://localhost:3000 "), "http://localhost:3000");
        assert_eq!(ok("https://[::1]:8443"), "https://[::1]:8443");
        for bad in [
            "example.org",
            "ftp://x",
            "https://",
            "https://x/",
            "https://x/path",
            "https://u@x",
            "https://x:port",
        ] {
            assert!(
                matches!(parse_origin(bad), Err(OriginError::Malformed(_))),
                "{bad}"
            );
        }
        for wild in ["*", "https://*.example.org"] {
            assert!(matches!(parse_origin(wild), Err(OriginError::Wildcard)));
        }
    }

    #[test]
    fn keys_match_the_layer_fields() {
        // serde lists the known fields in its unknown-field error.
        let err = toml::from_str::<Layer>("zzz = 1").unwrap_err();
        let msg = err.message();
        let expected = msg.split("expected one of ").nth(1).unwrap();
        let fields: Vec<&str> = expected.split(", ").map(|f| f.trim_matches('`')).collect();
        let keys: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        assert_eq!(fields, keys);
    }

    #[test]
    fn secure_cookies_auto_follows_loopback() {
        let mut c = Config::default();
        assert!(!c.cookies_secure());
        c.listen = "0.0.0.0:80".parse().unwrap();
        assert!(c.cookies_secure());
        c.secure_cookies = SecureCookies::Never;
        assert!(!c.cookies_secure());
    }
}
