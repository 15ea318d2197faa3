//! A running server and a browser-like client for it: same-origin calls with the session
//! cookie it was given, redirects not followed.

#![allow(dead_code, clippy::unwrap_used)]

use app::auth::SessionPolicy;
use app::state::Config;
use app::store::Db;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use reqwest::Response;

/// Starts the real router over `db` on a free port; returns its base URL.
pub async fn spawn(db: Db, sessions: SessionPolicy) -> String {
    spawn_with(
        db,
        Config {
            sessions,
            ..Config::default()
        },
    )
    .await
}

/// [`spawn`] with outside services configured too.
pub async fn spawn_with(db: Db, config: Config) -> String {
    let app = server::startup::Application::build(db, config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    base
}

/// One user's view of the server.
pub struct Console {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

impl Console {
    /// A signed-out browser.
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // A response that stalls fails its test instead of holding the suite (once,
                // the search page's response never finished under the full parallel suite).
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    /// A signed-out browser whose connections come from `address` (any of 127.0.0.0/8).
    pub fn from_address(base: &str, address: std::net::IpAddr) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(address)
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            ..Self::new(base)
        }
    }

    /// A browser signed in as `email` with the demo password.
    pub async fn signed_in(base: &str, email: &str) -> Self {
        let mut console = Self::new(base);
        let response = console.sign_in(email, server::users::DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "sign-in as {email}");
        console
    }

    /// Posts the sign-in form; keeps the session cookie when one is set.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        let response = self
            .call(
                app::auth::api::sign_in,
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        if let Some(cookie) = session_cookie(&response) {
            self.cookie = Some(cookie.split(';').next().unwrap().to_string());
        }
        response
    }

    /// Calls server function `function` (named by the function itself, so a renamed or
    /// removed one fails to compile) with form fields, from this site's own pages.
    pub async fn call<F>(&self, function: F, form: &[(&str, &str)]) -> Response {
        self.call_from(endpoint_of(function), form, &self.base.clone())
            .await
    }

    /// Calls the server function served as `name` (for tests that go through a list of them).
    pub async fn call_named(&self, name: &str, form: &[(&str, &str)]) -> Response {
        self.call_from(name, form, &self.base.clone()).await
    }

    /// Calls server function `name` as if from a page at `origin`.
    pub async fn call_from(&self, name: &str, form: &[(&str, &str)], origin: &str) -> Response {
        let mut request = self
            .client
            .post(format!("{}/api/{name}", self.base))
            .header(ORIGIN, origin)
            .form(form);
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// Calls server function `name` with `body` as it is, sent with `content_type` (none when
    /// `None`), from this site's own pages.
    pub async fn call_raw(&self, name: &str, body: &str, content_type: Option<&str>) -> Response {
        let mut request = self
            .client
            .post(format!("{}/api/{name}", self.base))
            .header(ORIGIN, self.base.clone())
            .body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// Uploads `bytes` as file `file_name` with the other `fields` to `path` (a multipart form),
    /// from this site's own pages.
    pub async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(ORIGIN, self.base.clone())
            .multipart(form);
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// Posts an empty form to `path` from this site's own pages.
    pub async fn post(&self, path: &str) -> Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(ORIGIN, self.base.clone());
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// Gets a page, accepting HTML as a browser does (pages answer a redirect with 302 only
    /// to such requests).
    pub async fn get(&self, path: &str) -> Response {
        let mut request = self
            .client
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "text/html,*/*;q=0.8");
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }
}

/// The `cp_session` Set-Cookie header of a response, if any.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cp_session="))
        .map(str::to_string)
}

/// The endpoint of server function `function`: its name (every `#[server]` function here is
/// declared with `endpoint = "<its name>"`; `change.rs` reads them by that attribute).
pub fn endpoint_of<F>(_function: F) -> &'static str {
    let path = std::any::type_name::<F>();
    match path.rsplit_once("::") {
        Some((_, name)) => name,
        None => panic!("call a server function by the function itself, not {path}"),
    }
}
