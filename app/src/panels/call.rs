//! Calling a panel from the console's server, safely: the address an admin typed is checked
//! (HTTPS, no credentials, a host that is not on this machine or a private network: the
//! server never fetches for an attacker), its host resolved and every address checked, the
//! connection pinned to those addresses (no second lookup to rebind, no proxy from the
//! environment), no redirect followed,
//! the answer read up to 64 KB within the panel's timeout, and the request signed.

use super::model::{answer_of, PanelAnswer};
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// Bytes of a panel's answer read at most.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The address checked: `https` (plain `http` only when private addresses are allowed, for a
/// panel on a developer's machine), a host, no user or password in it; a host given as an IP
/// address is checked here, a name at each call.
pub fn checked_url(text: &str, allow_private: bool) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|_| {
        "Give the panel's full address, e.g. https://listen.example/panel.".to_string()
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => {
            return Err(
                "The address starts with https:// (the request carries customer identifiers)."
                    .into(),
            )
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Leave user names and passwords out of the address: the signing secret authenticates the console.".into());
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err("The address needs a host name.".into());
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let literal = match host.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) => (host == "localhost" || host.ends_with(".localhost"))
            .then_some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
    };
    if literal.is_some_and(|ip| !allow_private && not_public(ip)) {
        return Err(NOT_PUBLIC.into());
    }
    Ok(url)
}

const NOT_PUBLIC: &str = "This address is on this machine or a private network: the console does \
                          not call those (an admin may allow them for development on this screen).";

/// Whether `ip` is not a public internet address: loopback, private, link-local (cloud
/// metadata at 169.254.169.254), shared, documentation, multicast, unspecified or reserved,
/// and IPv6's unique-local, link-local and IPv4-mapped or -translated forms of those.
pub fn not_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_not_public(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4_not_public(v4);
            }
            let first = v6.segments()[0];
            let nat64 = v6.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
            let embedded = Ipv4Addr::from((u128::from(v6) & 0xffff_ffff) as u32);
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                || (nat64 && v4_not_public(embedded))
                || v6 == Ipv6Addr::from(1u128)
        }
    }
}

fn v4_not_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240
}

/// The addresses `url`'s host resolves to, every one of them public unless `allow_private`.
async fn resolved(url: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let host = url.host_str().ok_or("no host")?;
    let port = url.port_or_known_default().ok_or("no port")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| format!("its host {host} does not resolve"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("its host {host} does not resolve"));
    }
    if !allow_private && addresses.iter().any(|a| not_public(a.ip())) {
        return Err("its host resolves to a private address".into());
    }
    Ok(addresses)
}

/// What a panel is sent and signed with.
pub struct Request<'a> {
    /// The panel's address.
    pub url: &'a str,
    /// Its signing secret.
    pub secret: &'a str,
    /// The JSON body.
    pub body: String,
    /// How long to wait in all.
    pub timeout: Duration,
    /// Whether private addresses are allowed (development).
    pub allow_private: bool,
}

/// Posts `request` and reads the answer, or says why there is none; never longer than its
/// timeout.
pub async fn call(request: Request<'_>) -> Result<PanelAnswer, String> {
    let timeout = request.timeout;
    match tokio::time::timeout(timeout, call_unbounded(request)).await {
        Ok(answer) => answer,
        Err(_) => Err(format!(
            "it did not answer within {} ms",
            timeout.as_millis()
        )),
    }
}

async fn call_unbounded(request: Request<'_>) -> Result<PanelAnswer, String> {
    let waited = request.timeout.as_millis();
    let failed = |e: reqwest::Error, what: &str| {
        if e.is_timeout() {
            format!("it did not answer within {waited} ms")
        } else {
            what.to_string()
        }
    };
    let url = checked_url(request.url, request.allow_private)?;
    let addresses = resolved(&url, request.allow_private).await?;
    let host = url.host_str().unwrap_or_default().to_string();
    let client = reqwest::Client::builder()
        // A proxy from the environment would connect to the host itself, past the checks.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(&host, &addresses)
        .timeout(request.timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signature =
        crate::support::webhook::signature(request.secret, &timestamp, request.body.as_bytes());
    let mut response = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "customer-profiles-panels/1")
        .header(TIMESTAMP_HEADER, &timestamp)
        .header(SIGNATURE_HEADER, signature)
        .body(request.body)
        .send()
        .await
        .map_err(|e| failed(e, "it could not be reached"))?;
    if !response.status().is_success() {
        return Err(format!("it answered {}", response.status().as_u16()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| "its answer broke off".to_string())?
    {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err("its answer is larger than 64 KB".into());
        }
        body.extend_from_slice(&chunk);
    }
    answer_of(&body)
}

/// The header with the request's time, Unix seconds (a panel refuses old ones: replays).
pub const TIMESTAMP_HEADER: &str = "x-customer-profiles-timestamp";
/// The header with base64 HMAC-SHA256 of the timestamp followed by the body.
pub const SIGNATURE_HEADER: &str = "x-customer-profiles-signature";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_addresses_pass_unless_development_allows_private_ones() {
        assert!(checked_url("https://listen.example/panel", false).is_ok());
        for refused in [
            "http://listen.example/panel",
            "https://user:pw@listen.example/",
            "https://127.0.0.1/",
            "https://localhost:8443/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://10.1.2.3/",
            "https://100.64.0.1/",
            "ftp://listen.example/",
            "not an address",
        ] {
            assert!(checked_url(refused, false).is_err(), "{refused}");
        }
        assert!(checked_url("http://127.0.0.1:9000/panel", true).is_ok());
        for private in [
            "192.168.1.1",
            "172.16.0.1",
            "fd00::1",
            "fe80::1",
            "64:ff9b::a00:1",
            "0.0.0.0",
        ] {
            assert!(not_public(private.parse().expect("an ip")), "{private}");
        }
        for public in ["93.184.216.34", "2606:4700::1111", "64:ff9b::5db8:d822"] {
            assert!(!not_public(public.parse().expect("an ip")), "{public}");
        }
    }
}
