//! HTTP layer (actix-web): state, routes, server start and graceful stop. Each resource's
//! handlers live in their own module; errors map to responses only in `error.rs`.
//!
//! Endpoints (JSON unless noted; errors are
//! `{"error":{"code","message","field"?,"details"?,"request_id"}}`):
//! - `POST /v1/comments` `{article_id, author, body, title?, parent_id?, author_id?,
//!   article_url?, article_title?}` -> 201 `{id, status, status_reason?, scores, reasons,
//!   model_version, article_id, created_at}`. With an
//!   `Idempotency-Key` header a retry gets the first result as 200 + `Idempotent-Replayed: true`;
//!   the key with a different request is 422 `idempotency_key_reused`. Rate-limited per author
//!   and per client address (429 + `Retry-After`).
//! - `POST /v1/comments/{id}/reports` `{reason, reporter_id?, note?}` -> 201
//!   `{report_id, comment_id, reason, counted, status, requeued, open_reports, reporters}`
//!   (200 with `counted: false` when that reporter's report is already open). Reasons: abuse,
//!   incitement, spam, off_topic, other. Rate-limited per reporter and per address; enough
//!   distinct reporters send a published comment back to the held queue.
//! - `GET /v1/articles/{article_id}/comments?limit=&cursor=`: published only, oldest first.
//! - `POST /v1/score` `{text}`: scores, reasons and the would-be status; stores nothing.
//! - `/v1/moderation/*` (Bearer token; 401 missing/malformed, 403 unknown):
//!   `GET queue?status=held&label=&article_id=&order=score|oldest|newest&limit=&cursor=`
//!   (`status=reported`: comments with open reader reports, `order=reports` by their count),
//!   `GET queue/updates?status=&label=&article_id=&since=` (ETag; 304 while unchanged),
//!   `GET comments/{id}`, `POST comments/{id}/decision {decision, reason?, note?, override?}`,
//!   `POST decisions {ids, decision, reason?, note?, override?}` (atomic; 404 lists unknown ids,
//!   409 lists conflicts), `GET log?comment_id=&actor=&action=&article_id=&kind=&limit=&cursor=`
//!   (newest first; also `author_id=`), `GET stats`, `GET authors/{author_id}?limit=` (panel),
//!   `POST authors/{author_id}/restriction {action: suspend|ban|lift, reason,
//!   duration_seconds?}`, `GET premoderation` (articles under pre-moderation),
//!   `GET|PUT articles/{article_id}/premoderation {enabled, reason?}` (404 for an article no
//!   comment was posted on). Ten wrong tokens or keys from one address in a minute: 429. Reject reasons: insult, obscene, threat, identity_attack, incitement, spam,
//!   off_topic, other.
//! - `POST /v1/admin/model/reload {path?}` (Bearer admin token): hot-swap the model; 422
//!   `model_rejected` keeps the old one serving. SIGHUP does the same with the configured path.
//! - `GET /healthz`, `GET /readyz`, `GET /metrics` (Prometheus text), `GET|HEAD /moderate`
//!   (page, with a hash-based Content-Security-Policy), `GET /openapi.json` (this list, generated
//!   from the handlers' annotations; see `openapi`).
//!
//! Every response carries `X-Request-Id` (the caller's, if sane, else a new one; see `trace`),
//! and so do error bodies (`request_id`).
//!
//! Span offsets count characters in the body as stored: trimmed of surrounding whitespace.

pub mod admin;
pub mod auth;
pub mod comments;
pub mod error;
pub mod extract;
pub mod fleet;
pub mod metrics;
pub mod moderation;
pub mod openapi;
pub mod ops;
pub mod perspective;
pub mod premoderation;
pub mod rate_limit;
pub mod reload;
pub mod reports;
pub mod trace;
pub mod ui;

use crate::config::Config;
use crate::model::Model;
use crate::storage::Store;
use actix_web::dev::ServerHandle;
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use arc_swap::ArcSwap;
use error::ApiError;
use std::net::{SocketAddr, TcpListener};
use tracing_actix_web::TracingLogger;

/// Everything handlers share. Swapping the model is one `store` on `model` (hot reload).
pub struct AppState {
    pub config: Config,
    pub model: ArcSwap<Model>,
    pub store: Store,
    pub metrics: metrics::Metrics,
    pub limiter: rate_limit::RateLimiter,
    /// Reader reports, per reporter and address.
    pub report_limiter: rate_limit::RateLimiter,
    /// Wrong bearer tokens and API keys per client address.
    pub auth_failures: rate_limit::FailureThrottle,
    pub moderators: auth::Tokens,
    pub admins: auth::Tokens,
    /// Posting keys; empty when posting is open.
    pub posters: auth::Tokens,
    pub api_keys: perspective::ApiKeys,
    /// Serialises model reloads (admin endpoint, SIGHUP); scoring never takes it.
    pub reload_lock: parking_lot::Mutex<()>,
}

impl AppState {
    /// Load the model and open (migrate) the database named in `config`.
    pub fn load(config: Config) -> anyhow::Result<AppState> {
        config.check_token_lengths()?;
        let model = config
            .load_model(&config.model)
            .with_context(|| format!("loading model from {}", config.model.display()))?;
        // The same checks a hot reload makes, so a model refused at reload is refused at start.
        reload::validate(&model, &config)?;
        tracing::info!(version = model.version(), "model loaded");
        let (store, applied) = Store::connect_with(&config.database, config.pool)
            .with_context(|| format!("opening database {}", config.database))?;
        tracing::info!(database = %config.database, applied = ?applied, "database ready");
        Ok(AppState {
            limiter: rate_limit::RateLimiter::new(&config.rate_limits).shared_through(&store),
            report_limiter: rate_limit::RateLimiter::for_reports(&config.report_rate_limits)
                .shared_through(&store),
            auth_failures: rate_limit::FailureThrottle::default(),
            moderators: auth::Tokens::new(&config.moderators),
            admins: auth::Tokens::new(&config.admins),
            posters: auth::Tokens::new(&config.posting_keys),
            reload_lock: parking_lot::Mutex::new(()),
            api_keys: perspective::ApiKeys::new(&config.api_keys, config.api_key_quota_per_minute),
            metrics: metrics::Metrics::new().context("registering metrics")?,
            model: ArcSwap::from_pointee(model),
            store,
            config,
        })
    }
}

impl AppState {
    /// Swap in another model (hot reload). Requests already scoring finish with the model they
    /// loaded; the next request sees the new one. Returns the version it replaced.
    pub fn replace_model(&self, model: Model) -> String {
        let version = model.version().to_string();
        let old = self.model.swap(std::sync::Arc::new(model));
        tracing::info!(from = old.version(), to = %version, "model replaced");
        old.version().to_string()
    }
}

/// A resource whose other methods get a JSON 405 instead of an empty one.
pub(crate) fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(|| async {
        ApiError::MethodNotAllowed.into_response()
    }))
}

/// Every route the app serves. Handler modules add to it and nothing else registers routes, so
/// [`served_routes`] (which `tests/api/openapi.rs` checks against `/openapi.json`) cannot miss
/// one the app serves.
#[derive(Default)]
pub struct RouteTable {
    /// Actix path patterns in registration order (actix matches in that order), each with its
    /// methods; one resource per pattern, so other methods get the JSON 405.
    paths: Vec<(&'static str, Vec<(Method, actix_web::Route)>)>,
}

impl RouteTable {
    /// Serve `handler` for `method` on `path` (an actix pattern such as `/v1/comments/{id}`).
    pub(crate) fn route<F, Args>(
        &mut self,
        method: Method,
        path: &'static str,
        handler: F,
    ) -> &mut Self
    where
        F: actix_web::Handler<Args>,
        Args: actix_web::FromRequest + 'static,
        F::Output: actix_web::Responder + 'static,
    {
        let route = web::method(method.clone()).to(handler);
        match self.paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push((method, route)),
            None => self.paths.push((path, vec![(method, route)])),
        }
        self
    }

    fn register(self, cfg: &mut web::ServiceConfig) {
        for (path, routes) in self.paths {
            let resource = routes
                .into_iter()
                .fold(resource(path), |resource, (_, route)| resource.route(route));
            cfg.service(resource);
        }
    }

    fn served(&self) -> Vec<(Method, &'static str)> {
        self.paths
            .iter()
            .flat_map(|(path, routes)| routes.iter().map(|(method, _)| (method.clone(), *path)))
            .collect()
    }
}

fn route_table() -> RouteTable {
    let mut table = RouteTable::default();
    for add in [
        admin::routes,
        comments::routes,
        moderation::routes,
        ops::routes,
        openapi::routes,
        perspective::routes,
        premoderation::routes,
        reports::routes,
        ui::routes,
    ] {
        add(&mut table);
    }
    table
}

/// Method and actix path pattern of every route the app serves, in matching order.
pub fn served_routes() -> Vec<(Method, &'static str)> {
    route_table().served()
}

trait IntoResponse {
    fn into_response(self) -> HttpResponse;
}

impl IntoResponse for ApiError {
    fn into_response(self) -> HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    ApiError::RouteNotFound(req.path().chars().take(200).collect()).into_response()
}

/// Routes, shared state and extractor error handlers: the whole app minus middleware.
pub fn app_config(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(state)
            .app_data(extract::query_config())
            .app_data(extract::path_config())
            .configure(|cfg| route_table().register(cfg))
            .default_service(web::to(not_found));
    }
}

/// A server running on its own thread (tests, embedding).
pub struct Running {
    pub addr: SocketAddr,
    pub state: web::Data<AppState>,
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<anyhow::Result<()>>>,
}

impl Running {
    /// Graceful stop: finish in-flight requests, drain the writer, wait for the thread.
    pub fn stop(mut self) -> anyhow::Result<()> {
        block_on(self.handle.stop(true));
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => anyhow::bail!("server thread panicked"),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            block_on(self.handle.stop(false));
            let _ = thread.join();
        }
    }
}

/// Drive a future from plain threads (stop requests are a message and a reply).
fn block_on<F: std::future::Future>(future: F) -> Option<F::Output> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .ok()
        .map(|rt| rt.block_on(future))
}

/// Bind, start the workers and return once listening; `config.listen` may use port 0.
/// OS signals are left to the embedder.
pub fn spawn(config: Config) -> anyhow::Result<Running> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("talkback-http".into())
        .spawn(move || actix_web::rt::System::new().block_on(serve(config, false, Some(ready_tx))))
        .context("starting server thread")?;
    match ready_rx.recv() {
        Ok((addr, handle, state)) => Ok(Running {
            addr,
            state,
            handle,
            thread: Some(thread),
        }),
        Err(_) => match thread.join() {
            Ok(Err(err)) => Err(err),
            _ => anyhow::bail!("server thread stopped before it was ready"),
        },
    }
}

type Ready = std::sync::mpsc::Sender<(SocketAddr, ServerHandle, web::Data<AppState>)>;

async fn serve(config: Config, signals: bool, ready: Option<Ready>) -> anyhow::Result<()> {
    let workers = config.workers.max(1);
    let listener =
        TcpListener::bind(config.listen).with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    let state = web::Data::new(AppState::load(config)?);
    let app_state = state.clone();
    let mut server = HttpServer::new(move || {
        // The last `wrap` runs first: the request id is decided before the span that carries it.
        App::new()
            .wrap(from_fn(metrics::track))
            .wrap(TracingLogger::<trace::RequestSpan>::new())
            .wrap(from_fn(trace::request_id))
            .configure(app_config(app_state.clone()))
    })
    .workers(workers)
    // In-flight requests get this long to finish after SIGTERM.
    .shutdown_timeout(30)
    .listen(listener)?;
    if !signals {
        server = server.disable_signals();
    }
    let server = server.run();
    if signals {
        reload_on_sighup(state.clone())?;
    }
    fleet::follow(state.clone());
    tracing::info!(%addr, workers, "listening");
    if let Some(ready) = ready {
        let _ = ready.send((addr, server.handle(), state.clone()));
    }
    let result = server.await;
    // No request is running any more: let the writer commit what is queued, then stop.
    state.store.shutdown();
    tracing::info!("stopped");
    result.context("http server")
}

/// SIGHUP reloads the model from the configured path (follows `models/current`), exactly as
/// `POST /v1/admin/model/reload` does, other instances on a shared database included; a
/// refused model is logged and the old one keeps serving.
fn reload_on_sighup(state: web::Data<AppState>) -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the model");
            // The outcome is logged inside; nothing else to do with it here.
            let _ = fleet::reload_everywhere(&state, None, "SIGHUP").await;
        }
    });
    Ok(())
}

/// Start the service and block until it shuts down (SIGTERM/SIGINT finish in-flight requests).
pub fn run(config: Config) -> anyhow::Result<()> {
    trace::init();
    tracing::info!(config = ?config, "starting");
    actix_web::rt::System::new().block_on(serve(config, true, None))
}
