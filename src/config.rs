//! Service configuration: flags, then environment, then an optional TOML file, then defaults
//! that run out of the box. Secrets (tokens, keys) never appear in `Debug` output or logs.

use crate::domain::{AuthorPolicy, CommentStatus, Label, SurgeRule, Thresholds};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{setting}: {message}")]
    Invalid {
        setting: &'static str,
        message: String,
    },
}

fn invalid(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        message: message.into(),
    }
}

/// `talkback serve` options. Every flag also reads an environment variable; a value given
/// neither way comes from `--config` (TOML, same names with `_` for `-`) or the default.
#[derive(Debug, Default, Clone, clap::Args, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(
    after_help = "Logging: TALKBACK_LOG (or RUST_LOG) sets the filter [default: info]; \
TALKBACK_LOG_FORMAT=json writes JSON lines. Logs carry ids and verdicts, never comment text or tokens.\n\
Signals: SIGTERM/SIGINT stop accepting connections, finish in-flight requests (30 s at most), \
commit queued writes, then exit."
)]
pub struct ServeArgs {
    /// Optional TOML file with any of the settings below.
    #[arg(long, env = "TALKBACK_CONFIG")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TALKBACK_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// SQLite database file (a path or `sqlite://PATH`), created with its directory when
    /// missing, or a `postgres://user@host:5432/db` URL for several instances on one PostgreSQL
    /// database [default: ./data/talkback.db].
    #[arg(long, env = "TALKBACK_DATABASE")]
    pub database: Option<PathBuf>,
    /// Model version directory, or a models root whose `current` file names the version
    /// [default: ./models].
    #[arg(long, env = "TALKBACK_MODEL")]
    pub model: Option<PathBuf>,
    /// Moderators allowed to use /v1/moderation, as `name:token,name:token`.
    #[arg(long, env = "TALKBACK_MODERATOR_TOKENS", hide_env_values = true)]
    pub moderator_tokens: Option<String>,
    /// Administrators allowed to use /v1/admin (model reload), as `name:token,...`.
    #[arg(long, env = "TALKBACK_ADMIN_TOKENS", hide_env_values = true)]
    pub admin_tokens: Option<String>,
    /// Perspective-compatible API keys, as `name:key,...`.
    #[arg(long, env = "TALKBACK_API_KEYS", hide_env_values = true)]
    pub api_keys: Option<String>,
    /// Posting keys, as `name:key,...`: when set, posting a comment, reporting one and scoring
    /// text need `Authorization: Bearer <key>`, so a public deployment is not an open relay
    /// [default: none, anyone who reaches the service may post].
    #[arg(long, env = "TALKBACK_POSTING_KEYS", hide_env_values = true)]
    pub posting_keys: Option<String>,
    /// Hold a comment for review when a label reaches its bar, as `label=bar,...`
    /// [default: the model's fitted bars, else incitement=0.3,abuse=0.7].
    #[arg(long, env = "TALKBACK_HOLD")]
    pub hold: Option<String>,
    /// Reject outright when a label reaches this higher bar, as `label=bar,...`, or `off`
    /// [default: the model's fitted bars, else incitement=0.97,abuse=0.99].
    #[arg(long, env = "TALKBACK_REJECT")]
    pub reject: Option<String>,
    /// Longest accepted comment body, in characters [default: 5000].
    #[arg(long, env = "TALKBACK_MAX_BODY_CHARS")]
    pub max_body_chars: Option<usize>,
    /// Largest accepted request body, in bytes; larger requests get 413 [default: 65536].
    #[arg(long, env = "TALKBACK_MAX_REQUEST_BYTES")]
    pub max_request_bytes: Option<usize>,
    /// Posting rate limits as `author=N/min,address=N/min` (also `/s`, `/h`), or `off`. The
    /// address limit is deliberately loose (a newsroom proxy or a load test is one address)
    /// [default: author=10/min,address=1000000/min].
    #[arg(long, env = "TALKBACK_RATE_LIMIT")]
    pub rate_limit: Option<String>,
    /// Reader report limits as `reporter=N/min,address=N/min`, or `off`; reports without a
    /// `reporter_id` are limited by address only [default: reporter=10/min,address=1000000/min].
    #[arg(long, env = "TALKBACK_REPORT_RATE_LIMIT")]
    pub report_rate_limit: Option<String>,
    /// Distinct readers whose open reports send a published comment back to the review queue
    /// (anonymous reports together count as one reader) [default: 3].
    #[arg(long, env = "TALKBACK_REPORT_THRESHOLD")]
    pub report_threshold: Option<u32>,
    /// What happens to new comments from an author a moderator suspended or banned, as
    /// `suspended=hold|reject,banned=hold|reject` [default: suspended=hold,banned=reject].
    #[arg(long, env = "TALKBACK_AUTHOR_RESTRICTIONS")]
    pub author_restrictions: Option<String>,
    /// Pre-moderate an article by itself when, within `window`, at least `min` comments were
    /// posted on it and at least `share` of them were held or rejected by the model; or `off`
    /// [default: window=10min,share=0.5,min=10].
    #[arg(long, env = "TALKBACK_SURGE")]
    pub surge: Option<String>,
    /// Requests per minute allowed for each Perspective API key [default: 60000].
    #[arg(long, env = "TALKBACK_API_KEY_QUOTA")]
    pub api_key_quota: Option<u32>,
    /// HTTP worker threads [default: number of cores].
    #[arg(long, env = "TALKBACK_WORKERS")]
    pub workers: Option<usize>,
    /// `full`: the model's every stage, the sentence stage included when the model ships one;
    /// `fast`: the n-gram model alone, for sites that need thousands of posts a second
    /// [default: full].
    #[arg(long, env = "TALKBACK_SCORER", value_enum)]
    pub scorer: Option<ScorerMode>,
    /// Threads one sentence-encoder pass may use [default: 1]. candle runs a multi-threaded
    /// pass on one shared pool, one pass at a time, so with 1 concurrent requests use the cores
    /// side by side; more lowers one comment's latency on an idle machine.
    #[arg(long, env = "TALKBACK_ENCODER_THREADS")]
    pub encoder_threads: Option<usize>,
    /// PostgreSQL: connections this instance keeps open at most. Their sum over all instances
    /// must stay under the server's `max_connections` [default: 8].
    #[arg(long, env = "TALKBACK_PG_POOL_SIZE")]
    pub pg_pool_size: Option<usize>,
    /// PostgreSQL: how long a request waits for a free connection (all in use) before it is
    /// answered 503 `storage_unavailable`, in milliseconds [default: 2000].
    #[arg(long, env = "TALKBACK_PG_POOL_WAIT_MS")]
    pub pg_pool_wait_ms: Option<u64>,
    /// PostgreSQL: how long opening a connection may take before the request is answered 503,
    /// in milliseconds; a `connect_timeout` in the URL wins [default: 3000].
    #[arg(long, env = "TALKBACK_PG_CONNECT_TIMEOUT_MS")]
    pub pg_connect_timeout_ms: Option<u64>,
    /// PostgreSQL: how often this instance checks whether another one reloaded the model,
    /// in milliseconds [default: 2000].
    #[arg(long, env = "TALKBACK_ROLLOUT_POLL_MS")]
    pub rollout_poll_ms: Option<u64>,
}

/// Which of the model's stages score comments.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScorerMode {
    #[default]
    Full,
    Fast,
}

/// A name and its secret. `Debug` shows the name only.
#[derive(Clone)]
pub struct Credential {
    pub name: String,
    pub secret: String,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:<redacted>", self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub per_author: Option<Rate>,
    pub per_address: Option<Rate>,
}

/// Reader report limits: per reporter (`reporter_id`) and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRateLimits {
    pub per_reporter: Option<Rate>,
    pub per_address: Option<Rate>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: crate::storage::Location,
    pub model: PathBuf,
    pub moderators: Vec<Credential>,
    pub admins: Vec<Credential>,
    pub api_keys: Vec<Credential>,
    /// Empty: posting is open.
    pub posting_keys: Vec<Credential>,
    pub bars: ConfiguredBars,
    pub max_body_chars: usize,
    pub max_request_bytes: usize,
    pub rate_limits: RateLimits,
    pub report_rate_limits: ReportRateLimits,
    pub report_threshold: u32,
    pub author_policy: AuthorPolicy,
    /// Surge detection; None when `off`.
    pub surge: Option<SurgeRule>,
    pub api_key_quota_per_minute: u32,
    pub workers: usize,
    pub scorer: ScorerMode,
    pub encoder_threads: usize,
    pub pool: crate::storage::PoolSettings,
    /// How often an instance on a shared database checks for a model reloaded elsewhere.
    pub rollout_poll: Duration,
}

/// Hold and reject bars as the configuration sets them. A part left unset is the model's own
/// (fitted with it on held-out data, so a new model brings bars that suit its scores), else
/// the built-in defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfiguredBars {
    pub hold: Option<BTreeMap<Label, f32>>,
    /// `Some` and empty: outright rejection is switched off.
    pub reject: Option<BTreeMap<Label, f32>>,
}

impl ConfiguredBars {
    /// The bars to decide by when `model` scores.
    pub fn for_model(&self, model: &crate::model::Model) -> Thresholds {
        self.with_fitted(model.bars())
    }

    fn with_fitted(&self, fitted: Option<&Thresholds>) -> Thresholds {
        let defaults = Thresholds::default();
        let fitted = fitted.unwrap_or(&defaults);
        Thresholds {
            hold: self.hold.clone().unwrap_or_else(|| fitted.hold.clone()),
            reject: self.reject.clone().unwrap_or_else(|| fitted.reject.clone()),
        }
    }
}

/// Labels the service cannot run without: the default hold/reject bars and the moderation
/// queue are built on them.
pub const REQUIRED_LABELS: [Label; 2] = [Label::Abuse, Label::Incitement];

/// A model that loaded but cannot serve this configuration.
#[derive(Debug, thiserror::Error)]
pub enum UnfitModel {
    #[error("model {version} does not score {label}, which this service needs")]
    MissingLabel { version: String, label: Label },
    #[error("model {version} produced an invalid score for {label} on a smoke-test text")]
    BadScore { version: String, label: Label },
}

impl Config {
    /// Refuse a model that loaded but cannot serve: it must score every label the service needs
    /// (the required ones and every label with a bar), and give probabilities on a plain text.
    /// The server checks at start and at every reload, `rescore` before it writes.
    pub fn check_model(&self, model: &crate::model::Model) -> Result<(), UnfitModel> {
        let bars = self.bars.for_model(model);
        let needed = REQUIRED_LABELS
            .iter()
            .chain(bars.hold.keys())
            .chain(bars.reject.keys());
        for &label in needed {
            if !model.labels().contains(&label) {
                return Err(UnfitModel::MissingLabel {
                    version: model.version().to_string(),
                    label,
                });
            }
        }
        let scores = model.score_only("Thanks for the article, I learned something today.");
        for &label in model.labels() {
            let ok = scores
                .get(label)
                .is_some_and(|s| s.is_finite() && (0.0..=1.0).contains(&s));
            if !ok {
                return Err(UnfitModel::BadScore {
                    version: model.version().to_string(),
                    label,
                });
            }
        }
        Ok(())
    }

    /// Load a model version (or a models root) and apply the configured scorer mode.
    pub fn load_model(&self, path: &Path) -> Result<crate::model::Model, crate::model::ModelError> {
        let mut model = crate::model::Model::load(path)?;
        model.set_use_encoder(self.scorer == ScorerMode::Full);
        Ok(model)
    }

    /// The same minimum the settings parser enforces, for a `Config` built in code (embedding,
    /// tests): the server refuses to start with a short moderator or admin token.
    pub fn check_token_lengths(&self) -> Result<(), ConfigError> {
        for (setting, credentials) in [
            ("moderator_tokens", &self.moderators),
            ("admin_tokens", &self.admins),
            ("posting_keys", &self.posting_keys),
        ] {
            if let Some(c) = credentials
                .iter()
                .find(|c| c.secret.chars().count() < MIN_TOKEN_CHARS)
            {
                return Err(invalid(
                    setting,
                    format!(
                        "the secret for `{}` is {} characters long; at least {MIN_TOKEN_CHARS} are required",
                        c.name,
                        c.secret.chars().count()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Settings for tests and embedding: defaults with the given database and model.
    pub fn with_paths(database: &Path, model: &Path) -> Config {
        let args = ServeArgs {
            database: Some(database.to_path_buf()),
            model: Some(model.to_path_buf()),
            ..ServeArgs::default()
        };
        Config::resolve(args).expect("defaults are valid")
    }

    /// Each setting from its flag or environment variable, else the file, else the default.
    /// One flat list on purpose: a setting per line, each checked where it is read, so adding
    /// one touches one place.
    pub fn resolve(args: ServeArgs) -> Result<Config, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => ServeArgs::default(),
        };
        macro_rules! pick {
            ($field:ident) => {
                args.$field.clone().or(file.$field.clone())
            };
        }
        let bars = ConfiguredBars {
            hold: pick!(hold).map(|s| parse_bars("hold", &s)).transpose()?,
            reject: match pick!(reject) {
                Some(s) if s.trim() == "off" => Some(BTreeMap::new()),
                Some(s) => Some(parse_bars("reject", &s)?),
                None => None,
            },
        };
        Thresholds {
            hold: bars.hold.clone().unwrap_or_default(),
            reject: bars.reject.clone().unwrap_or_default(),
        }
        .validate()
        .map_err(|m| invalid("thresholds", m))?;
        let max_body_chars = pick!(max_body_chars).unwrap_or(5000);
        if max_body_chars == 0 {
            return Err(invalid("max_body_chars", "must be at least 1"));
        }
        let report_threshold = pick!(report_threshold).unwrap_or(3);
        if report_threshold == 0 {
            return Err(invalid("report_threshold", "must be at least 1"));
        }
        let encoder_threads = pick!(encoder_threads).unwrap_or(1);
        if encoder_threads == 0 {
            return Err(invalid("encoder_threads", "must be at least 1"));
        }
        let max_request_bytes = pick!(max_request_bytes).unwrap_or(64 * 1024);
        if max_request_bytes < 1024 {
            return Err(invalid("max_request_bytes", "must be at least 1024"));
        }
        Ok(Config {
            listen: pick!(listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            database: crate::storage::Location::parse(
                &pick!(database).unwrap_or_else(|| PathBuf::from("data/talkback.db")),
            ),
            model: pick!(model).unwrap_or_else(|| PathBuf::from("models")),
            moderators: parse_credentials(
                "moderator_tokens",
                pick!(moderator_tokens).as_deref(),
                MIN_TOKEN_CHARS,
            )?,
            admins: parse_credentials(
                "admin_tokens",
                pick!(admin_tokens).as_deref(),
                MIN_TOKEN_CHARS,
            )?,
            api_keys: parse_credentials("api_keys", pick!(api_keys).as_deref(), MIN_API_KEY_CHARS)?,
            posting_keys: parse_credentials(
                "posting_keys",
                pick!(posting_keys).as_deref(),
                MIN_TOKEN_CHARS,
            )?,
            bars,
            max_body_chars,
            max_request_bytes,
            rate_limits: parse_rate_limits(
                pick!(rate_limit)
                    .as_deref()
                    .unwrap_or("author=10/min,address=1000000/min"),
            )?,
            report_rate_limits: parse_report_rate_limits(
                pick!(report_rate_limit)
                    .as_deref()
                    .unwrap_or("reporter=10/min,address=1000000/min"),
            )?,
            report_threshold,
            author_policy: match pick!(author_restrictions) {
                Some(raw) => parse_author_policy(&raw)?,
                None => AuthorPolicy::default(),
            },
            surge: match pick!(surge) {
                Some(raw) => parse_surge(&raw)?,
                None => Some(SurgeRule::default()),
            },
            api_key_quota_per_minute: pick!(api_key_quota).unwrap_or(60_000),
            workers: pick!(workers)
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            scorer: pick!(scorer).unwrap_or_default(),
            encoder_threads,
            pool: pool_settings(
                pick!(pg_pool_size),
                pick!(pg_pool_wait_ms),
                pick!(pg_connect_timeout_ms),
            )?,
            rollout_poll: Duration::from_millis(positive(
                "rollout_poll_ms",
                pick!(rollout_poll_ms).unwrap_or(2000),
            )?),
        })
    }
}

fn positive(setting: &'static str, value: u64) -> Result<u64, ConfigError> {
    if value == 0 {
        return Err(invalid(setting, "must be at least 1"));
    }
    Ok(value)
}

fn pool_settings(
    size: Option<usize>,
    wait_ms: Option<u64>,
    connect_ms: Option<u64>,
) -> Result<crate::storage::PoolSettings, ConfigError> {
    let defaults = crate::storage::PoolSettings::default();
    let millis = |setting, value: Option<u64>, default: Duration| match value {
        Some(ms) => positive(setting, ms).map(Duration::from_millis),
        None => Ok(default),
    };
    Ok(crate::storage::PoolSettings {
        size: match size {
            Some(n) => positive("pg_pool_size", n as u64)? as usize,
            None => defaults.size,
        },
        wait: millis("pg_pool_wait_ms", wait_ms, defaults.wait)?,
        connect_timeout: millis(
            "pg_connect_timeout_ms",
            connect_ms,
            defaults.connect_timeout,
        )?,
    })
}

fn read_file(path: &Path) -> Result<ServeArgs, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Moderator and admin tokens guard decisions and model swaps: long enough that guessing one,
/// even unthrottled, is hopeless.
pub const MIN_TOKEN_CHARS: usize = 16;
/// Perspective API keys come from platforms' existing setups; kept at the older minimum.
const MIN_API_KEY_CHARS: usize = 8;

fn parse_credentials(
    setting: &'static str,
    raw: Option<&str>,
    min_chars: usize,
) -> Result<Vec<Credential>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Credential> = Vec::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, secret) = entry.split_once(':').ok_or_else(|| {
            invalid(
                setting,
                "expected `name:secret` entries separated by commas",
            )
        })?;
        let (name, secret) = (name.trim(), secret.trim());
        if name.is_empty() {
            return Err(invalid(setting, "an entry has an empty name"));
        }
        let chars = secret.chars().count();
        if chars < min_chars {
            return Err(invalid(
                setting,
                format!(
                    "the secret for `{name}` is {chars} characters long; at least {min_chars} are required"
                ),
            ));
        }
        if out.iter().any(|c| c.secret == secret) {
            return Err(invalid(
                setting,
                format!("the secret for `{name}` is used twice"),
            ));
        }
        out.push(Credential {
            name: name.to_string(),
            secret: secret.to_string(),
        });
    }
    Ok(out)
}

fn parse_bars(setting: &'static str, raw: &str) -> Result<BTreeMap<Label, f32>, ConfigError> {
    let mut bars = BTreeMap::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (label, bar) = entry
            .split_once('=')
            .ok_or_else(|| invalid(setting, format!("expected `label=bar`, got `{entry}`")))?;
        let label: Label = label
            .trim()
            .parse()
            .map_err(|e: crate::domain::UnknownLabel| invalid(setting, e.to_string()))?;
        let bar: f32 = bar
            .trim()
            .parse()
            .map_err(|_| invalid(setting, format!("`{bar}` is not a number")))?;
        bars.insert(label, bar);
    }
    Ok(bars)
}

/// `suspended=hold,banned=reject`; a restriction left out keeps its default. Publishing is not
/// an option: a restriction that lets comments through would restrict nothing.
pub fn parse_author_policy(raw: &str) -> Result<AuthorPolicy, ConfigError> {
    const SETTING: &str = "author_restrictions";
    let mut policy = AuthorPolicy::default();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, action) = entry.split_once('=').ok_or_else(|| {
            invalid(
                SETTING,
                format!("expected `suspended=hold|reject` or `banned=hold|reject`, got `{entry}`"),
            )
        })?;
        let status = match action.trim() {
            "hold" => CommentStatus::Held,
            "reject" => CommentStatus::Rejected,
            other => {
                return Err(invalid(
                    SETTING,
                    format!("unknown action `{other}` (use hold or reject)"),
                ));
            }
        };
        match name.trim() {
            "suspended" => policy.suspended = status,
            "banned" => policy.banned = status,
            other => {
                return Err(invalid(
                    SETTING,
                    format!("unknown restriction `{other}` (use suspended or banned)"),
                ));
            }
        }
    }
    Ok(policy)
}

/// `window=10min,share=0.5,min=10` or `off`; a part left out keeps its default.
pub fn parse_surge(raw: &str) -> Result<Option<SurgeRule>, ConfigError> {
    const SETTING: &str = "surge";
    if raw.trim() == "off" {
        return Ok(None);
    }
    let default = SurgeRule::default();
    let (mut window, mut share, mut min) =
        (default.window(), default.share(), default.min_comments());
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, value) = entry.split_once('=').ok_or_else(|| {
            invalid(
                SETTING,
                format!("expected `window=10min`, `share=0.5` or `min=10`, got `{entry}`"),
            )
        })?;
        let value = value.trim();
        match name.trim() {
            "window" => window = parse_duration(SETTING, value)?,
            "share" => {
                share = value
                    .parse()
                    .map_err(|_| invalid(SETTING, format!("`{value}` is not a number")))?;
            }
            "min" => {
                min = value
                    .parse()
                    .map_err(|_| invalid(SETTING, format!("`{value}` is not a whole number")))?;
            }
            other => {
                return Err(invalid(
                    SETTING,
                    format!("unknown part `{other}` (use window, share or min)"),
                ));
            }
        }
    }
    SurgeRule::new(window, share, min)
        .map(Some)
        .map_err(|e| invalid(SETTING, e.to_string()))
}

/// `90s`, `10min`, `1h`: a whole number and a unit.
fn parse_duration(setting: &'static str, raw: &str) -> Result<Duration, ConfigError> {
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (count, unit) = raw.split_at(split);
    let count: u64 = count.parse().map_err(|_| {
        invalid(
            setting,
            format!("expected a duration like `10min`, got `{raw}`"),
        )
    })?;
    let unit = match unit.trim() {
        "s" | "sec" => 1,
        "min" | "m" => 60,
        "h" => 3600,
        other => {
            return Err(invalid(
                setting,
                format!("unknown unit `{other}` (use s, min or h)"),
            ));
        }
    };
    Ok(Duration::from_secs(count.saturating_mul(unit)))
}

fn parse_rate(setting: &'static str, raw: &str) -> Result<Rate, ConfigError> {
    let (count, unit) = raw
        .split_once('/')
        .ok_or_else(|| invalid(setting, format!("expected `N/min`, got `{raw}`")))?;
    let count: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|&c| c > 0)
        .ok_or_else(|| invalid(setting, format!("`{count}` is not a positive whole number")))?;
    let per = match unit.trim() {
        "s" | "sec" | "second" => Duration::from_secs(1),
        "min" | "minute" => Duration::from_secs(60),
        "h" | "hour" => Duration::from_secs(3600),
        other => {
            return Err(invalid(
                setting,
                format!("unknown unit `{other}` (use s, min or h)"),
            ));
        }
    };
    Ok(Rate { count, per })
}

pub fn parse_rate_limits(raw: &str) -> Result<RateLimits, ConfigError> {
    let (per_author, per_address) = parse_keyed_limits("rate_limit", "author", raw)?;
    Ok(RateLimits {
        per_author,
        per_address,
    })
}

pub fn parse_report_rate_limits(raw: &str) -> Result<ReportRateLimits, ConfigError> {
    let (per_reporter, per_address) = parse_keyed_limits("report_rate_limit", "reporter", raw)?;
    Ok(ReportRateLimits {
        per_reporter,
        per_address,
    })
}

/// `KEY=N/min,address=N/min` (either may be `off`, or the whole setting `off`): the limit per
/// `key` (author, reporter) and per client address.
fn parse_keyed_limits(
    setting: &'static str,
    key: &str,
    raw: &str,
) -> Result<(Option<Rate>, Option<Rate>), ConfigError> {
    let (mut per_key, mut per_address) = (None, None);
    if raw.trim() == "off" {
        return Ok((per_key, per_address));
    }
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, rate) = entry.split_once('=').ok_or_else(|| {
            invalid(
                setting,
                format!("expected `{key}=N/min` or `address=N/min`, got `{entry}`"),
            )
        })?;
        let rate = if rate.trim() == "off" {
            None
        } else {
            Some(parse_rate(setting, rate)?)
        };
        match name.trim() {
            n if n == key => per_key = rate,
            "address" => per_address = rate,
            other => {
                return Err(invalid(
                    setting,
                    format!("unknown limit `{other}` (use {key} or address)"),
                ));
            }
        }
    }
    Ok((per_key, per_address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_out_of_the_box() {
        let c = Config::resolve(ServeArgs::default()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.bars.with_fitted(None), Thresholds::default());
        assert!(c.rate_limits.per_author.is_some());
        assert!(c.report_rate_limits.per_reporter.is_some());
        assert_eq!(c.report_threshold, 3);
        assert_eq!(c.author_policy, AuthorPolicy::default());
        assert_eq!(c.author_policy.suspended, CommentStatus::Held);
        assert_eq!(c.author_policy.banned, CommentStatus::Rejected);
        assert_eq!(c.encoder_threads, 1);
    }

    #[test]
    fn unset_bars_are_the_models_own_then_the_defaults() {
        let fitted = Thresholds {
            hold: [(Label::Abuse, 0.6), (Label::Threat, 0.5)].into(),
            reject: [(Label::Abuse, 0.98)].into(),
        };
        let unset = Config::resolve(ServeArgs::default()).unwrap();
        assert_eq!(unset.bars.with_fitted(Some(&fitted)), fitted);
        let reject_off = Config::resolve(ServeArgs {
            reject: Some("off".into()),
            ..Default::default()
        })
        .unwrap();
        let bars = reject_off.bars.with_fitted(Some(&fitted));
        assert_eq!(bars.hold, fitted.hold);
        assert!(bars.reject.is_empty());
        let hold_set = Config::resolve(ServeArgs {
            hold: Some("abuse=0.9".into()),
            ..Default::default()
        })
        .unwrap();
        let bars = hold_set.bars.with_fitted(Some(&fitted));
        assert_eq!(bars.hold, [(Label::Abuse, 0.9)].into());
        assert_eq!(bars.reject, fitted.reject);
    }

    #[test]
    fn author_restriction_settings() {
        let c = Config::resolve(ServeArgs {
            author_restrictions: Some("banned=hold, suspended=reject".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.author_policy.suspended, CommentStatus::Rejected);
        assert_eq!(c.author_policy.banned, CommentStatus::Held);
        let partial = parse_author_policy("suspended=reject").unwrap();
        assert_eq!(partial.banned, CommentStatus::Rejected);
        for bad in [
            "banned=publish",
            "muted=hold",
            "suspended",
            "suspended=Hold",
        ] {
            assert!(parse_author_policy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn surge_settings() {
        let c = Config::resolve(ServeArgs::default()).unwrap();
        assert_eq!(c.surge, Some(SurgeRule::default()));
        let c = Config::resolve(ServeArgs {
            surge: Some("window=90s, min=4".into()),
            ..Default::default()
        })
        .unwrap();
        let rule = c.surge.unwrap();
        assert_eq!(rule.window(), Duration::from_secs(90));
        assert_eq!(rule.min_comments(), 4);
        assert_eq!(rule.share(), 0.5, "a part left out keeps its default");
        assert_eq!(parse_surge("off").unwrap(), None);
        assert_eq!(
            parse_surge("window=1h,share=0.8,min=20")
                .unwrap()
                .unwrap()
                .window(),
            Duration::from_secs(3600)
        );
        for bad in [
            "share=0",
            "share=1.5",
            "share=half",
            "min=1",
            "min=-3",
            "window=0s",
            "window=2d",
            "window=25h",
            "window",
            "rate=0.5",
        ] {
            assert!(parse_surge(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn report_settings() {
        let c = Config::resolve(ServeArgs {
            report_rate_limit: Some("reporter=2/min,address=off".into()),
            report_threshold: Some(5),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            c.report_rate_limits,
            ReportRateLimits {
                per_reporter: Some(Rate {
                    count: 2,
                    per: Duration::from_secs(60)
                }),
                per_address: None,
            }
        );
        assert_eq!(c.report_threshold, 5);
        for bad in [
            ServeArgs {
                report_threshold: Some(0),
                ..Default::default()
            },
            ServeArgs {
                // `author` is the posting limit's key, not the report limit's.
                report_rate_limit: Some("author=2/min".into()),
                ..Default::default()
            },
        ] {
            assert!(Config::resolve(bad).is_err());
        }
    }

    #[test]
    fn parses_settings_and_refuses_nonsense() {
        let args = ServeArgs {
            hold: Some("abuse=0.7, threat=0.4".into()),
            reject: Some("off".into()),
            moderator_tokens: Some("alice:0123456789abcdef,bob:abcdefghijklmnop".into()),
            rate_limit: Some("off".into()),
            ..Default::default()
        };
        let c = Config::resolve(args).unwrap();
        let bars = c.bars.with_fitted(None);
        assert_eq!(bars.hold[&Label::Threat], 0.4);
        assert!(bars.reject.is_empty());
        assert_eq!(c.moderators.len(), 2);
        assert!(
            !format!("{c:?}").contains("0123456789"),
            "secrets must not leak into Debug"
        );
        assert_eq!(c.rate_limits.per_address, None);

        for bad in [
            ServeArgs {
                hold: Some("abuse=2".into()),
                ..Default::default()
            },
            ServeArgs {
                hold: Some("spam=0.5".into()),
                ..Default::default()
            },
            ServeArgs {
                moderator_tokens: Some("alice".into()),
                ..Default::default()
            },
            ServeArgs {
                moderator_tokens: Some("alice:only-15-chars".into()),
                ..Default::default()
            },
            ServeArgs {
                admin_tokens: Some("root:12345678".into()),
                ..Default::default()
            },
            ServeArgs {
                rate_limit: Some("author=ten/min".into()),
                ..Default::default()
            },
            ServeArgs {
                encoder_threads: Some(0),
                ..Default::default()
            },
        ] {
            assert!(Config::resolve(bad).is_err());
        }
    }
}
