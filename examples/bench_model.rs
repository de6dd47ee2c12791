//! Scoring and load-time benchmark for a shipped model (run via `scripts/bench_model.sh` and
//! `scripts/bench.sh`).
//!
//! Scores short (80), typical (300) and long (5,000 character) comments one at a time on one
//! thread, all labels with explanations, and reports the median and p99 latency; for a model
//! with a sentence stage, both with it (`full`) and without (`fast`, the `--scorer fast` mode).
//! Comments are built from the shared data when present, otherwise from built-in sentences. `--json` adds one JSON line at the end (`scripts/bench.sh` reads it).

use std::path::PathBuf;
use std::time::Instant;
use talkback::model::Model;

const BUILT_IN: &[&str] = &[
    "The council voted last night to extend the bus lane on Main Street, and honestly I think \
     this is a mistake. Traffic is already terrible at rush hour and nobody asked the shop owners \
     what they think. You people at city hall are clueless idiots who never take the bus yourselves.",
    "Great article, thanks for covering the school budget. My kids' school lost two teachers last \
     year and class sizes went up to thirty. I hope the minister reads this and does something \
     before September, because parents are running out of patience with these endless excuses.",
    "If that scumbag shows his face in our neighbourhood again someone should put a bullet in him. \
     I'm serious, people like him deserve to be shot and dumped in the river. Nobody would miss \
     him and the police won't do anything about it anyway, so we will have to handle it ourselves.",
];

fn comments() -> Vec<String> {
    let path = PathBuf::from("../shared/data/comments.csv");
    let mut out = Vec::new();
    if let Ok(mut r) = csv::Reader::from_path(&path) {
        let text_col = r
            .headers()
            .ok()
            .and_then(|h| h.iter().position(|c| c == "text"));
        if let Some(tc) = text_col {
            for rec in r.records().flatten() {
                let t = rec.get(tc).unwrap_or("");
                if t.chars().count() >= 300 {
                    let cut: String = t.chars().take(300).collect();
                    out.push(cut);
                }
                if out.len() >= 2000 {
                    break;
                }
            }
        }
    }
    if out.is_empty() {
        out = BUILT_IN.iter().map(|s| s.to_string()).collect();
    }
    out
}

/// Texts of exactly `chars` characters: the source texts joined end to end and cut, so every
/// length uses the same vocabulary.
fn of_length(source: &[String], chars: usize, count: usize) -> Vec<String> {
    let joined: Vec<char> = source.join(" ").chars().collect();
    (0..count)
        .map(|i| {
            let start = (i * 997) % joined.len();
            joined
                .iter()
                .cycle()
                .skip(start)
                .take(chars)
                .collect::<String>()
        })
        .collect()
}

/// Median and p99 in microseconds of scoring each text `rounds` times (after one warm-up pass).
fn time_scoring(model: &Model, texts: &[String], rounds: usize) -> (f64, f64, usize) {
    for t in texts {
        std::hint::black_box(model.score(t));
    }
    let mut times = Vec::with_capacity(texts.len() * rounds);
    for _ in 0..rounds {
        for t in texts {
            let s = Instant::now();
            std::hint::black_box(model.score(std::hint::black_box(t)));
            times.push(s.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    (pct(0.5), pct(0.99), times.len())
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let model_dir = std::env::args()
        .skip(1)
        .find(|a| a != "--json")
        .unwrap_or_else(|| "models".into());
    let mut loads = Vec::new();
    let mut model = None;
    for _ in 0..5 {
        let t = Instant::now();
        match Model::load(std::path::Path::new(&model_dir)) {
            Ok(m) => model = Some(m),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
        loads.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let Some(mut model) = model else { return };
    loads.sort_by(f64::total_cmp);
    let texts = comments();
    println!("model {} from {model_dir}", model.version());
    println!(
        "load: median {:.0} ms (min {:.0}, max {:.0}) over 5",
        loads[2], loads[0], loads[4]
    );
    let mut modes = serde_json::Map::new();
    // The full model (with its sentence stage, if it has one), then the fast model alone.
    let mut runs = vec![("full", true)];
    if model.has_encoder() {
        runs.push(("fast", false));
    }
    for (mode, encoder) in runs {
        model.set_use_encoder(encoder);
        // The sentence stage costs milliseconds a call: fewer calls give as steady a median.
        let (count, rounds) = if model.active_encoder().is_some() {
            (300, 1)
        } else {
            (2000, 10)
        };
        let mut by_length = serde_json::Map::new();
        for (name, chars, count, rounds) in [
            ("short_80", 80, count, rounds),
            ("typical_300", 300, count, rounds),
            ("long_5000", 5000, count / 10, rounds),
        ] {
            let set = of_length(&texts, chars, count);
            let (median, p99, calls) = time_scoring(&model, &set, rounds);
            let unit = if median > 1000.0 { "ms" } else { "us" };
            let show = |v: f64| if unit == "ms" { v / 1000.0 } else { v };
            println!(
                "{mode}: score {name} ({chars} chars, all {} labels + explanations, one thread, {calls} calls): median {:.1} {unit}, p99 {:.1} {unit}",
                model.labels().len(),
                show(median),
                show(p99),
            );
            by_length.insert(
                name.into(),
                serde_json::json!({ "chars": chars, "calls": calls, "median_us": median, "p99_us": p99 }),
            );
        }
        modes.insert(mode.into(), serde_json::Value::Object(by_length));
    }
    if json {
        println!(
            "{}",
            serde_json::json!({
                "model_version": model.version(),
                "load_ms_median": loads[2],
                "scoring": modes["full"],
                "modes": modes,
            })
        );
    }
}
