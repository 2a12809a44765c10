//! The caller's IP address for rate limits and logs. `X-Forwarded-For` is believed only when
//! the direct peer is one of `TRUSTED_PROXIES`; then the right-most address that is not itself
//! a trusted proxy is the client (left-most entries are whatever the client chose to send).

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

pub fn client_ip(req: &HttpRequest, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let header = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    resolve(peer, header, trusted)
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
}
