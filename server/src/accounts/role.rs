//! Roles (docassemble's privileges `admin`, `developer`, `advocate`, `user`).

use std::fmt;
use std::str::FromStr;

/// What a user may do beyond running interviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Everything: users, roles, the audit log, developer tools.
    Admin,
    /// Developer tools (interview reloading, source and variables views).
    Developer,
    /// Helps users: may list users.
    Advocate,
    /// Runs interviews.
    User,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Developer, Role::Advocate, Role::User];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Developer => "developer",
            Role::Advocate => "advocate",
            Role::User => "user",
        }
    }

    /// May use developer features (admins and developers).
    pub fn is_developer(self) -> bool {
        matches!(self, Role::Admin | Role::Developer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown role name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: use admin, developer, advocate or user")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "developer" => Ok(Role::Developer),
            "advocate" => Ok(Role::Advocate),
            "user" => Ok(Role::User),
            _ => Err(UnknownRole(s.to_string())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert_eq!(" Admin ".parse::<Role>().unwrap(), Role::Admin);
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Developer.is_developer());
        assert!(!Role::Advocate.is_developer());
    }
}
