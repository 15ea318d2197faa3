//! Builds the axum application: Leptos pages, server functions, static files, logging layers.

use app::auth::guard::PeerAddress;
use app::state::{AppState, Config};
use app::store::Db;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::{get_configuration, Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Router state: Leptos options for rendering plus the application state.
#[derive(Clone)]
struct ServerState {
    leptos_options: LeptosOptions,
    app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

/// A bound, ready-to-run server (port 0 picks a free port: see [`Application::address`]).
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    db: Db,
}

impl Application {
    /// Binds `listen` and builds the router over `db`.
    pub async fn build(db: Db, config: Config, listen: SocketAddr) -> Result<Self, String> {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot read bound address: {e}"))?;
        let app = AppState::new(db.clone(), config)
            .await
            .map_err(|e| format!("cannot read the time zone setting: {e}"))?;
        let rebuilt = app::import::service::restore_indexes(&app)
            .await
            .map_err(|e| format!("cannot build the indexes an import set aside: {e}"))?;
        if rebuilt > 0 {
            tracing::warn!(
                rebuilt,
                "built the customers indexes an interrupted import had set aside"
            );
        }
        if app.config.background_jobs {
            let stopped = app::import::service::interrupted(&app)
                .await
                .map_err(|e| format!("cannot check for interrupted imports: {e}"))?;
            if stopped > 0 {
                tracing::warn!(stopped, "imports left running by the last server are stopped; resume them under Admin → Import");
            }
            app::import::uploads::schedule_sweeps(app.clone());
            app.analytics.clone().schedule(app.clone());
            app::tiers::engine::schedule_expiry(app.clone());
        }
        let router = router(app, leptos_options(address));
        Ok(Self {
            listener,
            router,
            db,
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves until Ctrl-C or SIGTERM, then lets open requests finish (10 s at most) and
    /// closes the database. Every connection has a deadline for its request head and for the
    /// next request on a kept-alive connection ([`HEADER_TIMEOUT`]), a bound on header size
    /// ([`MAX_HEADER_BYTES`]), and request bodies time out when they stall
    /// ([`BODY_TIMEOUT`], in the router). Sockets are TCP_NODELAY: pages stream in several
    /// writes, and Nagle's algorithm held each one back ~40 ms waiting for the delayed ACK.
    pub async fn run_until_stopped(self) -> Result<(), String> {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use hyper_util::server::graceful::GracefulShutdown;
        use hyper_util::service::TowerToHyperService;
        use tower::ServiceExt;

        // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front ends,
        // and detecting HTTP/2 by its preface would wait for a silent client's first bytes
        // without any deadline.
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .max_header_size(MAX_HEADER_BYTES)
            .max_headers(100);
        let graceful = GracefulShutdown::new();
        let mut stop = std::pin::pin!(shutdown_signal());
        loop {
            let (tcp, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: wait rather than spin.
                        tracing::warn!("cannot accept a connection: {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut stop => break,
            };
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!("cannot set TCP_NODELAY: {e}");
            }
            let service = TowerToHyperService::new(self.router.clone().map_request(
                move |request: Request<hyper::body::Incoming>| {
                    let mut request = request.map(Body::new);
                    request.extensions_mut().insert(PeerAddress(peer.ip()));
                    request
                },
            ));
            let connection = graceful.watch(builder.serve_connection(TokioIo::new(tcp), service));
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::trace!("connection ended: {e}");
                }
            });
        }
        drop(self.listener);
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(std::time::Duration::from_secs(10)) => {
                tracing::info!("open connections (live streams) closed at shutdown");
            }
        }
        self.db.close().await;
        Ok(())
    }
}

/// How long a client has to send a request's head, and how long a kept-alive connection may
/// sit idle before its next request.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// How long a request body may stall between two pieces before the request is refused.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// Largest request head (request line and headers) read.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Options from cargo-leptos' environment when it runs us, else the release layout
/// (`target/site`, relative to the working directory) in production mode.
fn leptos_options(address: SocketAddr) -> LeptosOptions {
    let from_cargo_leptos = std::env::var_os("LEPTOS_OUTPUT_NAME")
        .and_then(|_| get_configuration(None).ok())
        .map(|conf| conf.leptos_options);
    let mut options = from_cargo_leptos.unwrap_or_else(|| {
        LeptosOptions::builder()
            .output_name("customer-profiles")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .env(Env::PROD)
            .site_addr(address)
            .build()
    });
    options.site_addr = address;
    options
}

/// The app's routes, worked out once per process. Working them out runs the app with
/// resource loading switched off by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`), and a page rendering meanwhile on another thread whose resource
/// first polls then never finishes (leptos-rs/leptos#4773): the HTTP tests, which start many
/// servers in one process, saw a page response stall that way.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(app: AppState, leptos_options: LeptosOptions) -> Router {
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app.clone(),
    };
    let routes = route_list();
    let context_state = state.app.clone();
    Router::new()
        .route("/api/{*fn_name}", post(server_fn_handler))
        .route("/api/v1/webhooks/zendesk", post(crate::http::webhooks::zendesk))
        .route(app::shopify::WEBHOOK_PATH, post(crate::http::webhooks::shopify))
        .route(
            "/api/v1/events",
            post(crate::http::ingest::post_events)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::disable())
                .layer::<_, std::convert::Infallible>(crate::http::sdk::events_cors(&app)),
        )
        .route(crate::http::geofences::PATH, get(crate::http::geofences::active))
        .route("/sdk/v1/customer-profiles.js", get(crate::http::sdk::script))
        .route("/sdk/v1/customer-profiles.mjs", get(crate::http::sdk::module))
        .route("/api/v1/openapi.json", get(crate::http::openapi::document))
        .route(
            "/api/v1/customers/{id}/live",
            get(crate::http::live::customer_changes),
        )
        .route(
            "/api/v1/customers/{id}/privacy/export",
            post(crate::http::export::customer_export),
        )
        .route(
            "/admin/import/upload",
            post(crate::http::import::upload).layer(DefaultBodyLimit::max(
                usize::try_from(app::import::MAX_UPLOAD_BYTES).unwrap_or(usize::MAX) + 64 * 1024,
            )),
        )
        .route(
            "/admin/import/{id}/rejections.csv",
            get(crate::http::import::rejections),
        )
        .route("/healthz", get(|| async { "ok" }))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell))
        .with_state(state)
        .layer(axum::middleware::from_fn(crate::http::server_fns::guard))
        .layer(axum::middleware::from_fn_with_state(app, crate::http::guard::guard))
        .layer(axum::middleware::from_fn(crate::http::headers::security_headers))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let request_id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id)
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn server_fn_handler(
    State(state): State<ServerState>,
    request: Request<Body>,
) -> impl IntoResponse {
    let app_state = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app_state.clone()), request).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
