//! What every server-rendered page carries besides its content: the `<title>` escaped for the
//! head, and a Content-Security-Policy that lets only this response's own scripts run.

/// Escapes a page title for the server-rendered `<title>`. leptos_meta 0.8.7 writes the title
/// text into the head as it is (`ServerMetaContext` pushes `TitleContext::as_string` between
/// `<title>` and `</title>`), so a customer named `</title><script>…` would end the element;
/// this formatter, set once on the root `<Title>`, applies to every page's title. In the
/// browser the title is set through `document.title` (text), so nothing is escaped there.
pub fn escape_title(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`: scripts only
/// from this origin or with the nonce (the hydration script and the streamed resources), no
/// inline event handlers, no framing, no plugins, forms only to this origin. Style attributes
/// stay allowed (status colours); `<style>` elements do not. `dev_reload` allows the
/// cargo-leptos reload socket.
pub fn content_security_policy(nonce: &str, dev_reload: bool) -> String {
    format!(
        "{}; frame-ancestors 'none'",
        meta_content_security_policy(nonce, dev_reload)
    )
}

/// [`content_security_policy`] as a `<meta>` element may carry it: without `frame-ancestors`,
/// which a `<meta>` policy ignores (and logs an error for); the server's header says that one.
pub fn meta_content_security_policy(nonce: &str, dev_reload: bool) -> String {
    let connect = if dev_reload {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src {connect}; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// Sets this page's Content-Security-Policy header with the nonce Leptos made for the
/// response (call from the shell, which renders before the first byte is sent), and returns
/// the policy for the `<meta>` element in the head. The header went missing from a profile
/// tab's response now and then (pages rendered whole before they are sent; the cause lies in
/// how leptos_axum 0.8 builds those responses and was not found); the element applies the
/// policy all the same, and the server then adds only `frame-ancestors 'none'`
/// (`server/src/http/headers.rs`).
#[cfg(feature = "ssr")]
pub fn set_content_security_policy(dev_reload: bool) -> Option<String> {
    let nonce = leptos::nonce::use_nonce()?;
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        let policy = content_security_policy(&nonce, dev_reload);
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            options.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Some(meta_content_security_policy(&nonce, dev_reload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_end_its_element_on_the_server() {
        let escaped = escape_title("</title><img src=x onerror=alert(1)> & co".into());
        assert_eq!(
            escaped,
            "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co"
        );
    }

    #[test]
    fn the_policy_names_the_nonce_and_allows_no_inline_script_without_it() {
        let policy = content_security_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        let scripts = policy
            .split(';')
            .find(|d| d.contains("script-src"))
            .unwrap_or("");
        assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("ws:"));
        assert!(content_security_policy("n", true).contains("connect-src 'self' ws: wss:"));
        let meta = meta_content_security_policy("abc123", false);
        assert!(meta.contains("'nonce-abc123'") && !meta.contains("frame-ancestors"));
    }
}
