//! Shopify's webhook signature: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw
//! body keyed by the shared secret.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const HEADER: &str = "x-shopify-hmac-sha256";

/// The signature Shopify sends for `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(secret, body).finalize().into_bytes())
}

/// Whether `given` (the header) is the signature of `body` under `secret`, compared in
/// constant time (`Mac::verify_slice`).
pub fn verify(secret: &str, body: &[u8], given: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(given.trim()) else {
        return false;
    };
    mac(secret, body).verify_slice(&given).is_ok()
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_signed_with_the_secret_verifies_and_nothing_else_does() {
        let body = br#"{"id":820982911946154508}"#;
        let good = sign("shpss_test_secret_0001", body);
        assert!(verify("shpss_test_secret_0001", body, &good));
        assert!(!verify("shpss_test_secret_0002", body, &good));
        assert!(!verify(
            "shpss_test_secret_0001",
            br#"{"id":820982911946154509}"#,
            &good
        ));
        assert!(!verify("shpss_test_secret_0001", body, "not base64!"));
        assert!(!verify("shpss_test_secret_0001", body, ""));
    }

    #[test]
    fn a_known_signature_matches() {
        // The widely published HMAC-SHA256 example ("key", the quick brown fox), in base64.
        assert_eq!(
            sign("key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
    }
}
