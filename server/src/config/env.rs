//! Configuration from `COLLOQUY_<KEY>` environment variables.
//!
//! Each variable is one key (`COLLOQUY_MAX_UPLOAD_BYTES` → `max_upload_bytes`); its text is read
//! as the key's type: numbers, `true`/`false`, and comma-separated lists
//! (`COLLOQUY_CROSS_SITE_DOMAINS=https://a.org,https://b.org`).

use std::ffi::OsString;

use serde::Deserialize;
use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};

use super::{ConfigError, Layer, Source};

/// The prefix of every configuration variable.
pub const PREFIX: &str = "COLLOQUY_";

/// `COLLOQUY_*` variables that are not configuration keys: the configuration file's path, and
/// variables of the test suites. Also ignored: anything starting with `COLLOQUY_TEST_`.
pub const NOT_KEYS: &[&str] = &[
    "COLLOQUY_CONFIG",
    "COLLOQUY_CORPUS_ROOT",
    "COLLOQUY_CORPUS_CACHE",
];

/// Whether `name` is a `COLLOQUY_*` variable that is not a configuration key.
fn is_reserved(name: &str) -> bool {
    NOT_KEYS.contains(&name) || name.starts_with("COLLOQUY_TEST_")
}

/// The `COLLOQUY_*` variables among `vars`, as UTF-8, in name order.
pub(super) fn collect(
    vars: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    for (name, value) in vars {
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(PREFIX) {
            continue;
        }
        let value = value.into_string().map_err(|_| ConfigError::Invalid {
            key: name.to_owned(),
            from: Source::Env(name.to_owned()),
            message: "the value is not valid UTF-8".into(),
        })?;
        out.push((name.to_owned(), value));
    }
    out.sort();
    Ok(out)
}

/// The configuration file named by `COLLOQUY_CONFIG`, if any.
pub(super) fn config_file(vars: &[(String, String)]) -> Option<&str> {
    vars.iter()
        .find(|(n, _)| n == "COLLOQUY_CONFIG")
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// One layer per configuration variable, each validated; unknown `COLLOQUY_*` names refused.
pub(super) fn layers(vars: &[(String, String)]) -> Result<Vec<(Layer, Source)>, ConfigError> {
    let mut out = Vec::new();
    for (name, value) in vars {
        if is_reserved(name) {
            continue;
        }
        let from = Source::Env(name.clone());
        let key = name[PREFIX.len()..].to_ascii_lowercase();
        if !super::KEYS.iter().any(|k| k.name == key) {
            return Err(ConfigError::UnknownKey {
                key: name.clone(),
                from,
            });
        }
        let map = MapDeserializer::<_, ValueError>::new(std::iter::once((
            key.as_str(),
            EnvValue(value.as_str()),
        )));
        let layer = Layer::deserialize(map).map_err(|e| ConfigError::Invalid {
            key: key.clone(),
            from: from.clone(),
            message: e.to_string(),
        })?;
        out.push((layer, from));
    }
    Ok(out)
}

/// One variable's text, read as whatever type the key wants.
struct EnvValue<'a>(&'a str);

impl<'de> IntoDeserializer<'de, ValueError> for EnvValue<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parse_number {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                let n: $ty = self.0.trim().parse().map_err(|_| {
                    de::Error::custom(format!("expected a whole number, not {:?}", self.0))
                })?;
                visitor.$visit(n)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for EnvValue<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.trim() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::custom(format!(
                "expected true or false, not {other:?}"
            ))),
        }
    }

    parse_number! {
        deserialize_u8 => u8, visit_u8;
        deserialize_u16 => u16, visit_u16;
        deserialize_u32 => u32, visit_u32;
        deserialize_u64 => u64, visit_u64;
        deserialize_i8 => i8, visit_i8;
        deserialize_i16 => i16, visit_i16;
        deserialize_i32 => i32, visit_i32;
        deserialize_i64 => i64, visit_i64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let items = self
            .0
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(EnvValue);
        visitor.visit_seq(SeqDeserializer::new(items))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self.0.trim().into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct tuple tuple_struct
        map struct identifier ignored_any
    }
}
