//! The caller's IP address for rate limits and logs. `X-Forwarded-For` is believed only when
//! the direct peer is one of `TRUSTED_PROXIES`; then the right-most address that is not itself
//! a trusted proxy is the client (left-most entries are whatever the client chose to send).
//! Rate limits key a client by `address_key`: an IPv6 client by its /64.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;
use ipnet::IpNet;

pub fn client_ip(req: &HttpRequest, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let header = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    resolve(peer, header, trusted)
}

/// The rate-limit key of the caller's address (see `address_key`).
pub fn client_key(req: &HttpRequest, trusted: &[IpNet]) -> String {
    address_key(client_ip(req, trusted))
}

/// `ip:<address>` for IPv4, `ip:<network>/64` for IPv6: one subscriber is given a whole /64 and
/// may use any address in it, so per-address budgets would be endless there. An IPv4 address
/// written as IPv6 (`::ffff:a.b.c.d`) is the IPv4 client it names.
pub fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => format!("ip:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let network = Ipv6Addr::from_bits(v6.to_bits() & !(u128::MAX >> 64));
            format!("ip:{network}/64")
        }
        None => "ip:unknown".into(),
    }
}

pub fn resolve(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer = peer?;
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let Some(chain) = forwarded_for else { return Some(peer) };
    let mut client = peer;
    for hop in chain.rsplit(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = Some("1.1.1.1, 2.2.2.2, 10.0.0.9");
        assert_eq!(resolve(Some(proxy), xff, &trusted), Some("2.2.2.2".parse().unwrap()));
        assert_eq!(resolve(Some(proxy), xff, &[]), Some(proxy));
        let stranger: IpAddr = "8.8.8.8".parse().unwrap();
        assert_eq!(resolve(Some(stranger), xff, &trusted), Some(stranger));
        assert_eq!(resolve(Some(proxy), Some("garbage"), &trusted), Some(proxy));
    }

    fn key(ip: &str) -> String {
        address_key(Some(ip.parse().unwrap()))
    }

    #[test]
    fn ipv4_clients_are_keyed_by_their_address() {
        assert_eq!(key("203.0.113.7"), "ip:203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        assert_eq!(key("::ffff:203.0.113.7"), key("203.0.113.7"), "an IPv4-mapped address is its IPv4 client");
        assert_eq!(address_key(None), "ip:unknown");
    }

    #[test]
    fn ipv6_clients_share_one_budget_per_64() {
        assert_eq!(key("2001:db8:1:2::1"), "ip:2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), key("2001:db8:1:2::1"));
        assert_eq!(key("2001:db8:1:2:a:b:c:d"), key("2001:db8:1:2::1"));
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"), "the next /64 is another client");
        assert_ne!(key("2001:db9:1:2::1"), key("2001:db8:1:2::1"));
    }
}
