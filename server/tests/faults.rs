//! A server process killed (SIGKILL) in the middle of registrations, plan changes and points uses
//! loses no write it had answered and leaves nothing half made, on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{Browser, KEN_CARD, Kind, Server, TARO_PASSWORD, TestDb};
use portal_domain::api::Reply;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

const NEW_MEMBERS: [([(&str, &str); 3], &str); 3] = [
    (KEN_CARD, "kensato90"),
    (
        [
            ("card_number", "371234567890039"),
            ("front_code", "2468"),
            ("birth_date", "1978-02-28"),
        ],
        "misaki78",
    ),
    (
        [
            ("card_number", "371234567890054"),
            ("front_code", "1357"),
            ("birth_date", "1982-07-19"),
        ],
        "johnsmith82",
    ),
];
const NEW_PASSWORD: &str = "Green-Tea-2026";

/// What the killed process had answered as done.
#[derive(Default)]
struct Answered {
    uses: Vec<String>,
    members: Vec<String>,
    plan_lines: Vec<i64>,
}

async fn taro(server: &Server) -> Browser {
    let browser = server.browser();
    let reply = browser.sign_in("demotaro", TARO_PASSWORD).await;
    assert!(reply.is_done(), "{reply:?}\n{}", server.log_text());
    browser
}

/// Point uses one after another until the points run out or the server is gone; the request ids
/// it was told were done.
fn spend(browser: Browser, round: usize, worker: usize) -> JoinHandle<Vec<String>> {
    tokio::spawn(async move {
        let mut done = Vec::new();
        for n in 0.. {
            let request_id = format!("fault-{round}-{worker}-{n:04}");
            let body = json!({ "request_id": request_id, "request": { "Item": { "code": "donation-1000" } } });
            let Ok(res) = browser
                .http
                .post(format!("{}/api/points_use", browser.base))
                .header("Origin", &browser.base)
                .json(&body)
                .send()
                .await
            else {
                break;
            };
            match res.json::<Reply<Value>>().await {
                Ok(Reply::Done(_)) => done.push(request_id),
                _ => break,
            }
        }
        done
    })
}

async fn form(browser: &Browser, endpoint: &str, fields: &[(&str, &str)]) -> Option<Reply<Value>> {
    let res = browser
        .http
        .post(format!("{}/api/{endpoint}", browser.base))
        .header("Origin", &browser.base)
        .form(fields)
        .send()
        .await
        .ok()?;
    res.json().await.ok()
}

fn register(
    browser: Browser,
    card: [(&'static str, &'static str); 3],
    user_id: &'static str,
) -> JoinHandle<Option<String>> {
    tokio::spawn(async move {
        form(&browser, "register_card", &card)
            .await?
            .is_done()
            .then_some(())?;
        let fields = [
            ("user_id", user_id),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ];
        form(&browser, "register_account", &fields)
            .await?
            .is_done()
            .then(|| user_id.to_string())
    })
}

fn move_to_revolving(browser: Browser, line: i64) -> JoinHandle<Option<i64>> {
    tokio::spawn(async move {
        let call = |confirm: bool, seen: Value| {
            let browser = browser.clone();
            async move {
                let res = browser
                    .http
                    .post(format!("{}/api/plan_change", browser.base))
                    .header("Origin", &browser.base)
                    .json(&json!({
                        "line_ids": [line],
                        "choice": { "Revolving": { "monthly_yen": 10000 } },
                        "confirm": confirm,
                        "seen": seen,
                    }))
                    .send()
                    .await
                    .ok()?;
                res.json::<Reply<Value>>().await.ok()
            }
        };
        let Reply::Done(preview) = call(false, Value::Null).await? else {
            return None;
        };
        let seen = json!({ "applies_from": preview["applies_from"], "fee_total_yen": preview["fee_total_yen"] });
        call(true, seen).await?.is_done().then_some(line)
    })
}

async fn eligible_lines(browser: &Browser) -> Vec<i64> {
    let Reply::Done(view) = browser.reply("payments", &[]).await else {
        panic!("the holder sees payments");
    };
    view["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

async fn nothing_is_half_made(db: &TestDb) {
    let checks = [
        (
            "a points balance differs from its ledger",
            "SELECT COUNT(*) FROM card_accounts a WHERE points_balance <>
               (SELECT COALESCE(SUM(delta), 0) FROM points_ledger l WHERE l.account_id = a.id)",
        ),
        (
            "a use without the points it took",
            "SELECT COUNT(*) FROM point_uses u WHERE NOT EXISTS
               (SELECT 1 FROM points_ledger l WHERE l.use_id = u.id)",
        ),
        (
            "points taken for no use",
            "SELECT COUNT(*) FROM points_ledger l WHERE l.use_id IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM point_uses u WHERE u.id = l.use_id)",
        ),
        (
            "a plan no line is in",
            "SELECT COUNT(*) FROM payment_plans p WHERE NOT EXISTS
               (SELECT 1 FROM plan_changes c WHERE c.plan_id = p.id)",
        ),
    ];
    for (what, sql) in checks {
        assert_eq!(db.count(sql).await, 0, "{what}");
    }
}

async fn a_killed_process_loses_nothing_it_answered(kind: Kind) {
    let db = TestDb::new(kind, "faults").await;
    let mut answered = Answered::default();
    let mut server = Server::start(&db).await;
    for round in 0..3 {
        let browser = taro(&server).await;
        let lines = eligible_lines(&browser).await;
        let spenders: Vec<_> = (0..4).map(|w| spend(browser.clone(), round, w)).collect();
        let members: Vec<_> = NEW_MEMBERS
            .iter()
            .map(|(card, id)| register(server.browser(), *card, id))
            .collect();
        let plans: Vec<_> = lines
            .iter()
            .take(3)
            .map(|line| move_to_revolving(browser.clone(), *line))
            .collect();
        tokio::time::sleep(Duration::from_millis(40 + 60 * round as u64)).await;
        server.kill();
        for spender in spenders {
            answered.uses.extend(spender.await.unwrap_or_default());
        }
        for member in members {
            answered.members.extend(member.await.ok().flatten());
        }
        for plan in plans {
            answered.plan_lines.extend(plan.await.ok().flatten());
        }
        server = Server::start(&db).await;
        nothing_is_half_made(&db).await;
    }

    for request_id in &answered.uses {
        let kept = db
            .count(&format!(
                "SELECT COUNT(*) FROM point_uses WHERE request_id = '{request_id}'"
            ))
            .await;
        assert_eq!(kept, 1, "use {request_id} was answered, so it is kept");
    }
    for user_id in &answered.members {
        assert!(
            server
                .browser()
                .sign_in(user_id, NEW_PASSWORD)
                .await
                .is_done(),
            "{user_id} was registered, so they can sign in"
        );
    }
    for line in &answered.plan_lines {
        let in_plan = db
            .count(&format!(
                "SELECT COUNT(*) FROM plan_changes WHERE transaction_id = {line} AND plan_id IS NOT NULL"
            ))
            .await;
        assert!(in_plan >= 1, "line {line} was moved, so its plan is kept");
    }
    assert!(
        !answered.uses.is_empty(),
        "some uses were answered before a kill"
    );
}
on_both_databases!(faults, a_killed_process_loses_nothing_it_answered);
