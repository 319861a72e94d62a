//! The caller's address: the TCP peer, or — when the peer is one of the configured
//! `trusted_proxies` — the client its `X-Forwarded-For` header names.
//!
//! The header is read from the right (the entry the nearest proxy appended) and trusted
//! proxies are skipped, so a client cannot choose its own address by sending the header
//! itself: whatever it wrote sits to the left of the first untrusted entry.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::AppState;
use crate::config::ProxyNet;
use crate::config::proxies_canonical as canonical;

/// `X-Forwarded-For` (de facto standard; nginx's `$proxy_add_x_forwarded_for`).
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The caller's address (`0.0.0.0` when the server runs without connect info).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(client_address(
            peer,
            &parts.headers,
            &state.config().trusted_proxies,
        )))
    }
}

/// The client's address for a request from `peer` with these headers.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[ProxyNet]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    // Every X-Forwarded-For header, in order, as one list (proxies may add a header or append).
    let mut hops: Vec<&str> = Vec::new();
    for value in headers.get_all(FORWARDED_FOR) {
        let Ok(text) = value.to_str() else {
            return peer; // not ASCII: nothing in it can be believed
        };
        hops.extend(text.split(',').map(str::trim));
    }
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // A malformed entry: the chain of trust ends at the last good address.
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            return ip;
        }
    }
    client
}

/// One entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<ProxyNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(FORWARDED_FOR, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let h = headers(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &[]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_forge_its_address() {
        let h = headers(&["203.0.113.9"]);
        let t = nets(&["127.0.0.1"]);
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &t),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let t = nets(&["127.0.0.1", "10.0.0.0/8"]);
        let h = headers(&["203.0.113.9"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("203.0.113.9"));
        // The client's own (forged) entry stays to the left of what the proxy appended.
        let h = headers(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("203.0.113.9"));
        // Two proxies: an inner load balancer in 10/8 appended the outer proxy's view.
        let h = headers(&["6.6.6.6, 203.0.113.9, 10.0.0.5"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("203.0.113.9"));
        // Split over several headers, with ports and IPv6.
        let h = headers(&["6.6.6.6", "[2001:db8::7]:4711"]);
        assert_eq!(
            client_address(ip("::1"), &h, &nets(&["::1"])),
            ip("2001:db8::7")
        );
        let h = headers(&["198.51.100.4:9000"]);
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &h, &t),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn bad_or_missing_headers_fall_back_to_what_is_known() {
        let t = nets(&["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &HeaderMap::new(), &t),
            ip("127.0.0.1")
        );
        let h = headers(&["203.0.113.9, not-an-ip"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("127.0.0.1"));
        let h = headers(&["garbage, 10.0.0.5"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("10.0.0.5"));
        let h = headers(&["10.0.0.6, 10.0.0.5"]);
        assert_eq!(client_address(ip("127.0.0.1"), &h, &t), ip("10.0.0.6"));
    }
}
