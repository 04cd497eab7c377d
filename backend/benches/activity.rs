//! Activity at scale: an account with 100,000 lines. Prints the server-side time of one filtered
//! page (50 lines) from a signed-in session, median and 95th percentile, and the time and memory
//! growth of the 100,000-line CSV. SQLite always; PostgreSQL when `PORTAL_BENCH_POSTGRES_URL` names
//! a server (`bench/activity.sh` starts one).
//!
//! Run: `bench/activity.sh` (or `cargo bench -p portal-backend --bench activity`).

use std::time::{Duration, Instant};

use futures::StreamExt;
use portal_backend::config::Config;
use portal_backend::store::cards::NewTransaction;
use portal_backend::{Client, Portal};
use portal_domain::activity::ActivityFilter;
use portal_domain::api::Reply;

const LINES: usize = 100_000;
const PAGES: usize = 300;
const MERCHANTS: [&str; 8] = [
    "セブン-イレブン",
    "ファミリーマート",
    "スターバックス コーヒー",
    "Amazon.co.jp",
    "JR東日本 モバイルSuica",
    "ユニクロ 銀座店",
    "AMAZON.COM",
    "成城石井",
];

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run(label: &str, database_url: &str, data_dir: &std::path::Path) {
    let vars = |name: &str| -> Option<String> {
        match name {
            "DATABASE_URL" => Some(database_url.to_string()),
            "PORTAL_DEMO" => Some("1".into()),
            "PORTAL_DATA_DIR" => Some(data_dir.display().to_string()),
            _ => None,
        }
    };
    let portal = Portal::start(Config::from_vars(vars).expect("config"))
        .await
        .expect("portal starts");
    let client = Client {
        addr: "127.0.0.1".into(),
    };
    let Reply::Done(token) = portal
        .sign_in("demotaro", "Portal2026demo", &client)
        .await
        .unwrap()
    else {
        panic!("the demo member signs in");
    };
    let user = portal.session_user(&token).await.unwrap().unwrap();
    let cards = portal.db.visible_cards(user.member_id).await.unwrap();
    let (account_id, main_card, family_card) =
        (cards[0].account_id, cards[0].card_id, cards[1].card_id);

    let seeding = Instant::now();
    let days: Vec<String> = (0..LINES)
        .map(|i| {
            let date = time::Date::from_calendar_date(2025, time::Month::January, 1).unwrap()
                + time::Duration::days((i * 365 / LINES) as i64);
            portal_domain::period::iso_date(date)
        })
        .collect();
    for chunk in (0..LINES).collect::<Vec<_>>().chunks(10_000) {
        let lines: Vec<NewTransaction<'_>> = chunk
            .iter()
            .map(|&i| NewTransaction {
                account_id,
                card_id: if i % 4 == 0 { family_card } else { main_card },
                used_on: &days[i],
                posted_on: Some(&days[i]),
                merchant: MERCHANTS[i % MERCHANTS.len()],
                amount_yen: 100 + (i as i64 * 7919) % 30_000,
                foreign: None,
                category: "shopping",
            })
            .collect();
        portal.db.insert_transactions(&lines, 0).await.unwrap();
    }
    let seeded = seeding.elapsed();

    let filter = ActivityFilter::from_query([("card", "90013"), ("q", "ｾﾌﾞﾝ")]).unwrap();
    let mut times = Vec::with_capacity(PAGES);
    let mut cursor: Option<String> = None;
    for _ in 0..PAGES {
        let started = Instant::now();
        let user = portal.session_user(&token).await.unwrap().unwrap();
        let Reply::Done(page) = portal
            .activity_page(&user, Ok(filter.clone()), cursor.as_deref())
            .await
            .unwrap()
        else {
            panic!("a page");
        };
        times.push(started.elapsed());
        assert!(!page.lines.is_empty());
        // Through the pages, and from the top again at the end.
        cursor = page.next;
    }
    times.sort();

    let everything = ActivityFilter::default();
    // Resets the peak (VmHWM) to the present, so the CSV's own peak is what is measured.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = rss_kib("VmRSS:");
    let started = Instant::now();
    let mut stream = Box::pin(portal.activity_csv(&user, &everything).await.unwrap());
    let (mut bytes, mut rows) = (0usize, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        bytes += chunk.len();
        rows += chunk.iter().filter(|&&b| b == b'\n').count();
    }
    let csv_time = started.elapsed();
    let growth_mib = rss_kib("VmHWM:").saturating_sub(rss_before) as f64 / 1024.0;

    println!("{label}: {LINES} extra lines seeded in {seeded:.1?}");
    println!(
        "{label}: filtered page of 50 (card + merchant text), {PAGES} runs: median {:.2?}, p95 {:.2?}, max {:.2?}",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1]
    );
    println!(
        "{label}: CSV of every line: {} rows, {:.1} MB in {csv_time:.2?}; peak memory grew {growth_mib:.1} MiB",
        rows - 1,
        bytes as f64 / 1e6,
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("portal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/bench.db", dir.display());
    run("SQLite", &sqlite, &dir).await;
    if let Ok(url) = std::env::var("PORTAL_BENCH_POSTGRES_URL") {
        run("PostgreSQL", &url, &dir).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
