//! The configuration file (`colloquy.toml`, `--config PATH`).

use std::path::Path;

use super::{ConfigError, Layer, Source};

/// Reads and parses a configuration file; unknown keys are refused by name.
pub(super) fn read(path: &Path) -> Result<Layer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    parse(&text, path)
}

/// Parses configuration text read from `path`.
pub(super) fn parse(text: &str, path: &Path) -> Result<Layer, ConfigError> {
    toml::from_str::<Layer>(text).map_err(|e| {
        let from = Source::File(path.to_path_buf());
        let message = e.message().to_owned();
        if let Some(key) = unknown_field(&message) {
            return ConfigError::UnknownKey {
                key: key.to_owned(),
                from,
            };
        }
        let key = e
            .span()
            .and_then(|span| key_at(text, span.start))
            .unwrap_or_default();
        ConfigError::Invalid {
            key,
            from,
            message: one_line(&e.to_string()),
        }
    })
}

/// serde's "unknown field `x`, expected one of …" → `x`.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The key on the line holding byte `offset` (`key = value`), for error messages.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    super::KEYS
        .iter()
        .any(|k| k.name == key)
        .then(|| key.to_owned())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
