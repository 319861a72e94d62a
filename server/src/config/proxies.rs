//! `trusted_proxies`: the reverse proxies whose `X-Forwarded-For` header is believed.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;
use serde::Deserialize;

/// One trusted network: `10.0.0.0/8`, `::1/128`, or a bare address (a network of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyNet(IpNet);

impl ProxyNet {
    /// Whether `ip` is inside this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&canonical(ip))
    }
}

/// `::ffff:a.b.c.d` as `a.b.c.d`, so one rule covers both forms of an IPv4 peer.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl FromStr for ProxyNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(net) = t.parse::<IpNet>() {
            return Ok(ProxyNet(net.trunc()));
        }
        if let Ok(ip) = t.parse::<IpAddr>() {
            return Ok(ProxyNet(IpNet::from(canonical(ip))));
        }
        Err(format!(
            "{t:?} is not an IP address or network (like 127.0.0.1, ::1 or 10.0.0.0/8)"
        ))
    }
}

impl fmt::Display for ProxyNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for ProxyNet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_and_bare_addresses() {
        let lo: ProxyNet = "127.0.0.1".parse().unwrap();
        assert!(lo.contains(ip("127.0.0.1")));
        assert!(!lo.contains(ip("127.0.0.2")));
        assert!(
            lo.contains(ip("::ffff:127.0.0.1")),
            "mapped IPv4 peers match"
        );
        let ten: ProxyNet = " 10.1.2.3/8 ".parse().unwrap();
        assert_eq!(ten.to_string(), "10.0.0.0/8");
        assert!(ten.contains(ip("10.200.0.1")));
        assert!(!ten.contains(ip("11.0.0.1")));
        let v6: ProxyNet = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
    }

    #[test]
    fn bad_networks_are_refused_with_the_text() {
        for bad in ["", "localhost", "10.0.0.0/33", "1.2.3", "*"] {
            let err = bad.parse::<ProxyNet>().unwrap_err();
            assert!(
                err.contains("is not an IP address or network"),
                "{bad}: {err}"
            );
        }
    }
}
