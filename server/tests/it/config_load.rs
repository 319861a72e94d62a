//! Configuration loading: precedence, unknown keys, invalid values, wildcard CORS, docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use server::config::{CliOverrides, Config, ConfigError, KEYS, SecureCookies, Source};

fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
    pairs
        .iter()
        .map(|(k, v)| (OsString::from(k), OsString::from(v)))
        .collect()
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("colloquy.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn with_file(path: &Path) -> CliOverrides {
    CliOverrides {
        config: Some(path.to_path_buf()),
        ..CliOverrides::default()
    }
}

#[test]
fn defaults_without_anything() {
    let c = Config::load_from(CliOverrides::default(), env(&[("PATH", "/bin")])).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.max_upload_bytes, 10 * 1024 * 1024);
    assert_eq!(c.secure_cookies, SecureCookies::Auto);
    assert!(c.cross_site_domains.is_empty());
    assert_eq!(
        c.database().unwrap().describe(),
        "sqlite:./data/colloquy.db"
    );
}

#[test]
fn precedence_defaults_file_env_cli() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        r#"
listen = "0.0.0.0:9000"
data = "/srv/file-data"
packages = ["/srv/pkg-a", "/srv/pkg-b"]
max_upload_bytes = 2048
request_timeout_seconds = 5
cross_site_domains = ["https://file.example.org"]
secure_cookies = true
loop_limit = 100
"#,
    );
    // File only.
    let c = Config::load_from(with_file(&path), env(&[])).unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(c.max_upload_bytes, 2048);
    assert_eq!(c.packages.len(), 2);
    assert_eq!(c.secure_cookies, SecureCookies::Always);
    assert_eq!(c.loop_limit, 100);
    assert_eq!(c.session_lifetime_days, 90, "untouched keys keep defaults");
    assert_eq!(c.config_file.as_deref(), Some(path.as_path()));

    // Environment over file.
    let vars = env(&[
        ("COLLOQUY_MAX_UPLOAD_BYTES", "1048576"),
        (
            "COLLOQUY_CROSS_SITE_DOMAINS",
            "https://a.org, https://B.org:8443",
        ),
        ("COLLOQUY_LISTEN", "127.0.0.1:7000"),
        ("COLLOQUY_SECURE_COOKIES", "auto"),
        ("COLLOQUY_PACKAGES", "/env/p1,/env/p2,/env/p3"),
    ]);
    let c = Config::load_from(with_file(&path), vars.clone()).unwrap();
    assert_eq!(c.max_upload_bytes, 1_048_576);
    assert_eq!(
        c.cross_site_domains,
        ["https://a.org", "https://b.org:8443"]
    );
    assert_eq!(c.listen.to_string(), "127.0.0.1:7000");
    assert_eq!(c.secure_cookies, SecureCookies::Auto);
    assert_eq!(c.packages.len(), 3);
    assert_eq!(c.request_timeout_seconds, 5, "file value kept");
    assert_eq!(c.data, PathBuf::from("/srv/file-data"));

    // Command line over environment.
    let cli = CliOverrides {
        config: Some(path.clone()),
        listen: Some("127.0.0.1:6000".parse().unwrap()),
        data: Some("/cli/data".into()),
        packages: Some(vec!["/cli/pkg".into()]),
        dist: Some("/cli/dist".into()),
        database: Some("postgres://u@db.example.org/colloquy".into()),
    };
    let c = Config::load_from(cli, vars).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:6000");
    assert_eq!(c.data, PathBuf::from("/cli/data"));
    assert_eq!(c.packages, [PathBuf::from("/cli/pkg")]);
    assert_eq!(c.dist, PathBuf::from("/cli/dist"));
    assert_eq!(c.database().unwrap().kind(), "postgres");
    assert_eq!(c.max_upload_bytes, 1_048_576, "env value kept");
}

#[test]
fn config_file_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "loop_limit = 7\n");
    let c = Config::load_from(
        CliOverrides::default(),
        env(&[("COLLOQUY_CONFIG", path.to_str().unwrap())]),
    )
    .unwrap();
    assert_eq!(c.loop_limit, 7);
    // --config wins over COLLOQUY_CONFIG.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "loop_limit = 8\n").unwrap();
    let c = Config::load_from(
        with_file(&other),
        env(&[("COLLOQUY_CONFIG", path.to_str().unwrap())]),
    )
    .unwrap();
    assert_eq!(c.loop_limit, 8);
}

#[test]
fn unknown_key_in_the_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "listen = \"127.0.0.1:1\"\nmax_upload_byte = 5\n",
    );
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    match &err {
        ConfigError::UnknownKey { key, from } => {
            assert_eq!(key, "max_upload_byte");
            assert_eq!(from, &Source::File(path.clone()));
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("max_upload_byte"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    // Tables are not keys either.
    let path = write(dir.path(), "[server]\nlisten = \"127.0.0.1:1\"\n");
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    assert!(
        matches!(err, ConfigError::UnknownKey { ref key, .. } if key == "server"),
        "{err:?}"
    );
}

#[test]
fn unknown_environment_variable_is_named() {
    let err = Config::load_from(
        CliOverrides::default(),
        env(&[("COLLOQUY_MAX_UPLOADS", "5"), ("HOME", "/root")]),
    )
    .unwrap_err();
    match &err {
        ConfigError::UnknownKey { key, from } => {
            assert_eq!(key, "COLLOQUY_MAX_UPLOADS");
            assert_eq!(from, &Source::Env("COLLOQUY_MAX_UPLOADS".into()));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("COLLOQUY_MAX_UPLOADS"), "{err}");
    // Variables that are not configuration keys but belong to Colloquy are allowed.
    Config::load_from(
        CliOverrides::default(),
        env(&[
            ("COLLOQUY_CORPUS_ROOT", "/x"),
            ("COLLOQUY_TEST_ANYTHING", "1"),
            ("NOT_COLLOQUY_X", "1"),
        ]),
    )
    .unwrap();
}

#[test]
fn invalid_values_name_the_key_and_source() {
    let err = Config::load_from(
        CliOverrides::default(),
        env(&[("COLLOQUY_MAX_UPLOAD_BYTES", "ten")]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, from: Source::Env(v), .. }
            if key == "max_upload_bytes" && v == "COLLOQUY_MAX_UPLOAD_BYTES"),
        "{err:?}"
    );
    assert!(err.to_string().contains("ten"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "request_timeout_seconds = \"soon\"\n");
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, from: Source::File(_), .. }
            if key == "request_timeout_seconds"),
        "{err:?}"
    );

    let path = write(dir.path(), "listen = \"localhost\"\n");
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, .. } if key == "listen"),
        "{err:?}"
    );

    let path = write(dir.path(), "this is not toml\n");
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    assert!(matches!(&err, ConfigError::Invalid { .. }), "{err:?}");

    for (name, value, key) in [
        ("COLLOQUY_LOOP_LIMIT", "0", "loop_limit"),
        ("COLLOQUY_SECURE_COOKIES", "maybe", "secure_cookies"),
        ("COLLOQUY_DATABASE", "mysql://x/y", "database"),
        (
            "COLLOQUY_CROSS_SITE_DOMAINS",
            "https://a.org/path",
            "cross_site_domains",
        ),
        ("COLLOQUY_LISTEN", "nowhere", "listen"),
        (
            "COLLOQUY_SESSION_LIFETIME_DAYS",
            "-1",
            "session_lifetime_days",
        ),
    ] {
        let err = Config::load_from(CliOverrides::default(), env(&[(name, value)])).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { key: k, .. } if k == key),
            "{name}={value}: {err:?}"
        );
    }

    let missing = dir.path().join("missing.toml");
    let err = Config::load_from(with_file(&missing), env(&[])).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
}

#[test]
fn wildcard_cors_is_refused() {
    let err = Config::load_from(
        CliOverrides::default(),
        env(&[("COLLOQUY_CROSS_SITE_DOMAINS", "https://a.org,*")]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConfigError::WildcardOrigin { origin, from: Source::Env(_) } if origin == "*"),
        "{err:?}"
    );
    assert!(err.to_string().contains("credentials"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "cross_site_domains = [\"https://*.example.org\"]\n",
    );
    let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
    assert!(
        matches!(
            &err,
            ConfigError::WildcardOrigin {
                from: Source::File(_),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn every_key_is_documented_in_config_md() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CONFIG.md")).unwrap();
    assert!(
        doc.contains(&Config::markdown_table()),
        "server/CONFIG.md is out of date; paste this table:\n{}",
        Config::markdown_table()
    );
    for k in KEYS {
        assert!(!k.doc.is_empty());
        assert!(doc.contains(&format!("`COLLOQUY_{}`", k.name.to_ascii_uppercase())));
    }
}

#[test]
fn every_documented_key_is_accepted_in_file_and_env() {
    let samples = [
        ("listen", "\"127.0.0.1:1\"", "127.0.0.1:1"),
        ("data", "\"/d\"", "/d"),
        ("packages", "[\"/p\"]", "/p"),
        ("dist", "\"/dist\"", "/dist"),
        ("database", "\"sqlite:/tmp/x.db\"", "sqlite:/tmp/x.db"),
        ("cross_site_domains", "[\"https://a.org\"]", "https://a.org"),
        ("max_upload_bytes", "1", "1"),
        ("request_timeout_seconds", "1", "1"),
        ("secure_cookies", "false", "false"),
        ("session_lifetime_days", "1", "1"),
        ("loop_limit", "1", "1"),
        (
            "public_url",
            "\"https://forms.example.org\"",
            "https://forms.example.org",
        ),
        ("allow_registration", "false", "false"),
        ("mailer", "\"file\"", "file"),
        ("mail_dir", "\"/m\"", "/m"),
        ("mail_from", "\"a@b.org\"", "a@b.org"),
        (
            "smtp_url",
            "\"smtps://mail.example.org:465\"",
            "smtps://mail.example.org:465",
        ),
        ("password_min_length", "12", "12"),
        ("password_min_lowercase", "2", "2"),
        ("password_min_uppercase", "2", "2"),
        ("password_min_digits", "2", "2"),
        ("password_min_punctuation", "1", "1"),
        ("argon2_memory_kib", "65536", "65536"),
        ("argon2_iterations", "3", "3"),
        ("login_attempt_limit", "5", "5"),
        ("login_ban_seconds", "60", "60"),
        ("login_rate_per_minute", "5", "5"),
        ("two_factor_required_for", "[\"admin\"]", "admin"),
        ("remember_me_days", "7", "7"),
        ("sign_in_hours", "1", "1"),
        ("frame_ancestors", "[\"https://a.org\"]", "https://a.org"),
        (
            "trusted_proxies",
            "[\"127.0.0.1\", \"10.0.0.0/8\"]",
            "127.0.0.1,10.0.0.0/8",
        ),
    ];
    assert_eq!(samples.len(), KEYS.len());
    let dir = tempfile::tempdir().unwrap();
    for (key, toml_value, env_value) in samples {
        let path = write(dir.path(), &format!("{key} = {toml_value}\n"));
        let from_file = Config::load_from(with_file(&path), env(&[])).unwrap();
        let name = format!("COLLOQUY_{}", key.to_ascii_uppercase());
        let from_env =
            Config::load_from(CliOverrides::default(), env(&[(&name, env_value)])).unwrap();
        assert_ne!(from_file, Config::default(), "{key}");
        assert_eq!(
            Config {
                config_file: None,
                ..from_file
            },
            from_env,
            "{key}"
        );
    }
}

#[test]
fn account_keys_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [
        "smtp_url = \"smtp://mail.example.org:25\"",
        "two_factor_required_for = [\"root\"]",
        "frame_ancestors = [\"*\"]",
        "public_url = \"forms.example.org\"",
        "mailer = \"pigeon\"",
        "argon2_memory_kib = 8",
        "login_attempt_limit = 0",
        "trusted_proxies = [\"localhost\"]",
        "trusted_proxies = [\"10.0.0.0/40\"]",
        "trusted_proxies = \"127.0.0.1\"",
    ] {
        let path = write(dir.path(), &format!("{bad}\n"));
        let err = Config::load_from(with_file(&path), env(&[])).unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{bad}: {err}");
    }
}
