//! Paying and points over real HTTP on SQLite and PostgreSQL: revolving and instalments with their
//! fees and undo, the spending-power check, points earned and reversed, twenty redemptions racing
//! for one balance, and partner transfers answered by the demo partner.

mod common;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, register_hanako};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::money::format_yen;
use portal_domain::payments::PlanProblem;
use portal_domain::points::{PartnerNumberProblem, PointsProblem};
use serde_json::{Value, json};

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(value) => value,
        other => panic!("expected done, got {other:?}"),
    }
}

async fn taro(server: &Server) -> Browser {
    let browser = server.browser();
    assert!(browser.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    browser
}

async fn payments(browser: &Browser) -> Value {
    done(browser.reply("payments", &[]).await)
}

async fn change(browser: &Browser, ids: &[i64], choice: Value, confirm: bool) -> Reply<Value> {
    browser
        .call_json(
            "plan_change",
            json!({ "line_ids": ids, "choice": choice, "confirm": confirm }),
        )
        .await
}

fn revolving(monthly: i64) -> Value {
    json!({ "Revolving": { "monthly_yen": monthly } })
}

fn instalments(payments: u8) -> Value {
    json!({ "Instalments": { "payments": payments } })
}

fn field(due: &Value, name: &str) -> i64 {
    due["due"][name].as_i64().unwrap()
}

fn principal(due: &Value) -> i64 {
    field(due, "lump_sum_yen") + field(due, "revolving_yen") + field(due, "instalment_yen")
}

/// What a payment date debits: principal and fees less credits.
fn debit(due: &Value) -> i64 {
    principal(due) + field(due, "revolving_fee_yen") + field(due, "instalment_fee_yen")
        - field(due, "credit_yen")
}

/// The sum of a field over a list of payment dates.
fn total(dues: &Value, name: &str) -> i64 {
    dues.as_array()
        .unwrap()
        .iter()
        .map(|d| field(d, name))
        .sum()
}

async fn plans_changes(db: &TestDb) -> i64 {
    db.count("SELECT COUNT(*) FROM plan_changes").await
}

/// Every closed statement's PDF states the debit of its payment date as the schedule has it, with
/// what makes it up; read back with poppler's pdftotext.
async fn statements_show_what_the_schedule_debits(db: &TestDb, browser: &Browser, view: &Value) {
    let pool = db.pool().await;
    let statements: Vec<(String, String)> = sqlx::query_as(
        "SELECT closing_date, payment_date FROM statements WHERE account_id = 1 ORDER BY closing_date",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!statements.is_empty());
    let dues: Vec<&Value> = view["coming"]
        .as_array()
        .unwrap()
        .iter()
        .chain(view["history"].as_array().unwrap())
        .collect();
    let mut checked = 0;
    for (closing, payment) in statements {
        let Some(due) = dues.iter().find(|d| d["date"] == payment.as_str()) else {
            continue;
        };
        let debit = debit(due);
        let res = browser
            .get(&format!("/statement.pdf?period={closing}"))
            .await;
        assert_eq!(res.status(), 200);
        let path = db.dir.join(format!("statement-{closing}.pdf"));
        std::fs::write(&path, res.bytes().await.unwrap()).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-raw", path.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("ご請求金額 / Amount due {}", format_yen(debit))),
            "statement closing {closing} states {debit}: {text}"
        );
        assert!(text.contains("ご請求金額の内訳 / What makes up the amount"));
        checked += 1;
    }
    assert!(
        checked > 0,
        "some statement pays within the schedule's year"
    );
}

async fn schedules_follow_revolving_and_instalments(kind: Kind) {
    let db = TestDb::new(kind, "plans").await;
    let server = Server::start(&db).await;
    let browser = taro(&server).await;

    let view = payments(&browser).await;
    let eligible = view["eligible"].as_array().unwrap().clone();
    assert!(eligible.len() >= 2, "Taro has charges to change");
    // A closed statement not yet paid is billed as its stored amount.
    for due in view["coming"].as_array().unwrap() {
        let date = due["date"].as_str().unwrap();
        let stored = db
            .count(&format!(
                "SELECT COALESCE(MAX(amount_yen), -1) FROM statements WHERE account_id = 1 AND payment_date = '{date}'"
            ))
            .await;
        if stored >= 0 {
            assert_eq!(field(due, "lump_sum_yen"), stored, "statement due {date}");
        }
    }

    let first = &eligible[0];
    let first_id = first["id"].as_i64().unwrap();
    let amount = first["amount_yen"].as_i64().unwrap();
    let preview = done(change(&browser, &[first_id], revolving(10_000), false).await);
    assert_eq!(preview["confirmed"], false);
    assert_eq!(preview["amount_yen"], amount);
    assert_eq!(preview["applies_from"], first["applies_from"]);
    let changes = preview["changes"].as_array().unwrap();
    let moved: i64 = changes
        .iter()
        .map(|d| principal(d) - field(d, "credit_yen"))
        .sum();
    assert_eq!(moved, 0, "the same yen are paid, only later");
    let fee: i64 = changes.iter().map(|d| field(d, "revolving_fee_yen")).sum();
    assert_eq!(preview["fee_total_yen"], fee);
    if amount > 10_000 {
        assert!(fee > 0, "a balance carried past a payment date costs a fee");
    }
    assert_eq!(plans_changes(&db).await, 0, "a preview writes nothing");

    // Confirming what was not what the member saw changes nothing.
    let stale: Reply<Value> = browser
        .call_json(
            "plan_change",
            json!({
                "line_ids": [first_id],
                "choice": revolving(10_000),
                "confirm": true,
                "seen": { "applies_from": preview["applies_from"], "fee_total_yen": fee + 1 },
            }),
        )
        .await;
    assert_eq!(stale, Reply::Refused(Refusal::PreviewChanged));
    assert_eq!(plans_changes(&db).await, 0);

    let made = done(
        browser
            .call_json(
                "plan_change",
                json!({
                    "line_ids": [first_id],
                    "choice": revolving(10_000),
                    "confirm": true,
                    "seen": { "applies_from": preview["applies_from"], "fee_total_yen": fee },
                }),
            )
            .await,
    );
    assert_eq!(made["confirmed"], true);
    assert_eq!(made["fee_total_yen"], preview["fee_total_yen"]);
    assert_eq!(plans_changes(&db).await, 1);
    let again = change(&browser, &[first_id], revolving(10_000), true).await;
    assert_eq!(
        again,
        Reply::Refused(Refusal::NotEligible),
        "a second click changes nothing"
    );
    assert_eq!(plans_changes(&db).await, 1);

    let view = payments(&browser).await;
    assert_eq!(total(&view["coming"], "revolving_yen"), amount);
    let plans = view["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["kind"], "Revolving");
    assert!(plans[0]["undo_until"].is_string());

    assert_eq!(
        change(
            &browser,
            &[eligible[1]["id"].as_i64().unwrap()],
            instalments(7),
            false
        )
        .await,
        Reply::Invalid(vec![(
            Field::Plan,
            Problem::Plan(PlanProblem::UnknownCount)
        )])
    );
    assert_eq!(
        change(&browser, &[first_id], revolving(7_000), false).await,
        Reply::Invalid(vec![(
            Field::Plan,
            Problem::Plan(PlanProblem::UnknownCourse)
        )])
    );
    let two: Vec<i64> = eligible[1..3.min(eligible.len())]
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    if two.len() == 2 {
        assert_eq!(
            change(&browser, &two, instalments(6), false).await,
            Reply::Invalid(vec![(
                Field::Charges,
                Problem::Plan(PlanProblem::ChooseCharges)
            )])
        );
    }

    let second = &eligible[1];
    let second_amount = second["amount_yen"].as_i64().unwrap();
    let split = done(
        change(
            &browser,
            &[second["id"].as_i64().unwrap()],
            instalments(6),
            true,
        )
        .await,
    );
    assert_eq!(split["confirmed"], true);
    let view = payments(&browser).await;
    let coming = view["coming"].as_array().unwrap();
    let with_instalments = coming
        .iter()
        .filter(|d| field(d, "instalment_yen") > 0)
        .count();
    assert_eq!(with_instalments, 6, "six payments");
    assert_eq!(total(&view["coming"], "instalment_yen"), second_amount);
    assert_eq!(
        total(&view["coming"], "instalment_fee_yen"),
        split["fee_total_yen"].as_i64().unwrap()
    );

    statements_show_what_the_schedule_debits(&db, &browser, &view).await;

    let plan_id = view["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "Revolving")
        .map(|p| p["plan_id"].as_i64().unwrap())
        .unwrap();
    let plan = plan_id.to_string();
    assert!(
        browser
            .reply("plan_undo", &[("plan_id", &plan)])
            .await
            .is_done()
    );
    assert_eq!(
        browser.reply("plan_undo", &[("plan_id", &plan)]).await,
        Reply::Refused(Refusal::NotEligible)
    );
    assert_eq!(
        plans_changes(&db).await,
        3,
        "an undo is a new row; nothing is overwritten"
    );
    let view = payments(&browser).await;
    assert_eq!(total(&view["coming"], "revolving_yen"), 0);
    assert!(
        view["eligible"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == first_id),
        "back to a lump sum, the charge can be changed again"
    );
}
on_both_databases!(schedules, schedules_follow_revolving_and_instalments);

async fn spending_power_says_yes_or_no_only(kind: Kind) {
    let db = TestDb::new(kind, "power").await;
    let server = Server::start_with(
        &db,
        &[
            ("PORTAL_RATE_SPENDING_PER_HOUR", "100"),
            ("PORTAL_RATE_SPENDING_PER_DAY", "4"),
        ],
    )
    .await;
    let browser = taro(&server).await;
    let check = |amount: &'static str| {
        let browser = browser.clone();
        async move { browser.reply("spending_power", &[("amount", amount)]).await }
    };
    let yes = done(check("300000").await);
    assert_eq!(
        yes,
        json!({ "amount_yen": 300000, "approved": true, "frozen": false })
    );
    let no = done(check("¥99,000,000").await);
    assert_eq!(no["approved"], false);
    assert_eq!(
        check("3e5").await,
        Reply::Invalid(vec![(Field::Amount, Problem::AmountInvalid)])
    );
    // The line itself never leaves the server, not even in a page.
    let page = browser.get("/payments").await.text().await.unwrap();
    assert!(!page.contains("2000000") && !page.contains("2,000,000"));
    assert!(check("1000").await.is_done());
    assert!(check("2000").await.is_done());
    assert!(matches!(
        check("3000").await,
        Reply::Refused(Refusal::RateLimited { .. })
    ));
    // The daily count is kept in the database: another process (or a restart) knows it.
    let env = [("PORTAL_RATE_SPENDING_PER_DAY", "4")];
    let other = Server::start_with(&db, &env).await;
    let browser = taro(&other).await;
    assert!(matches!(
        browser.reply("spending_power", &[("amount", "3000")]).await,
        Reply::Refused(Refusal::RateLimited { .. })
    ));
}
on_both_databases!(spending_power, spending_power_says_yes_or_no_only);

async fn balance(browser: &Browser) -> i64 {
    done(browser.reply("points", &[]).await)["balance"]
        .as_i64()
        .unwrap()
}

async fn ledger_sum(db: &TestDb) -> i64 {
    db.count(
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM points_ledger WHERE account_id = 1",
    )
    .await
}

/// Twenty uses of `request` at once, each with its own request id.
async fn race(browser: &Browser, prefix: &str, request: Value) -> Vec<Reply<Value>> {
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let (browser, request) = (browser.clone(), request.clone());
            let request_id = format!("{prefix}-{i:04}-abcdef");
            tokio::spawn(async move { use_points(&browser, &request_id, request).await })
        })
        .collect();
    let mut replies = Vec::new();
    for attempt in attempts {
        replies.push(attempt.await.unwrap());
    }
    replies
}

async fn use_points(browser: &Browser, request_id: &str, request: Value) -> Reply<Value> {
    browser
        .call_json(
            "points_use",
            json!({ "request_id": request_id, "request": request }),
        )
        .await
}

async fn points_follow_lines_and_never_overdraw(kind: Kind) {
    let db = TestDb::new(kind, "points").await;
    let server = Server::start(&db).await;
    let browser = taro(&server).await;

    // Earned per posted line (1 per full 100 yen), a refund takes its points back.
    let earned = db
        .count("SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM points_ledger WHERE account_id = 1 AND kind = 'earn'")
        .await;
    let expected = db
        .count("SELECT CAST(COALESCE(SUM(amount_yen / 100), 0) AS BIGINT) FROM transactions WHERE account_id = 1 AND status = 'posted' AND amount_yen > 0")
        .await;
    assert_eq!(earned, expected);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM points_ledger WHERE account_id = 1 AND kind = 'reverse' AND delta < 0")
            .await,
        1,
        "the demo refund took its points back"
    );
    let view = done(browser.reply("points", &[]).await);
    assert!(
        !view["expiring"].as_array().unwrap().is_empty(),
        "the old welcome bonus expires soon"
    );
    let start = view["balance"].as_i64().unwrap();
    assert_eq!(start, ledger_sum(&db).await);

    assert_eq!(
        use_points(&browser, "bad", json!({ "Bill": { "points": 1000 } })).await,
        Reply::Invalid(vec![(Field::Points, Problem::Required)])
    );
    assert_eq!(
        use_points(
            &browser,
            "req-step-0001",
            json!({ "Bill": { "points": 1050 } })
        )
        .await,
        Reply::Invalid(vec![(
            Field::Points,
            Problem::Points(PointsProblem::Step { step: 100 })
        )])
    );

    // A double click: the same request twice at once is one use.
    let (a, b) = tokio::join!(
        use_points(
            &browser,
            "double-click-0001",
            json!({ "Bill": { "points": 1000 } })
        ),
        use_points(
            &browser,
            "double-click-0001",
            json!({ "Bill": { "points": 1000 } })
        ),
    );
    let (a, b) = (done(a), done(b));
    assert_eq!(a["use_id"], b["use_id"]);
    assert_ne!(a["repeated"], b["repeated"]);
    assert_eq!(balance(&browser).await, start - 1000);
    let credited = db
        .count("SELECT CAST(SUM(credit_yen) AS BIGINT) FROM point_uses WHERE account_id = 1 AND kind = 'bill'")
        .await;
    assert_eq!(credited, 500, "1,000 points at 50 yen per 100");

    // Twenty uses at once, together worth more than the balance.
    let before = balance(&browser).await;
    let each = before / 15 / 100 * 100;
    assert!(each >= 1000);
    let replies = race(&browser, "race", json!({ "Bill": { "points": each } })).await;
    let made = replies.iter().filter(|r| r.is_done()).count() as i64;
    let refused = replies
        .iter()
        .filter(|r| **r == Reply::Refused(Refusal::NotEnoughPoints))
        .count() as i64;
    assert_eq!(made + refused, 20, "{replies:?}");
    assert_eq!(
        made,
        before / each,
        "every use the balance covered, and no more"
    );
    let after = balance(&browser).await;
    assert_eq!(after, before - made * each);
    assert!(after >= 0);
    assert_eq!(
        after,
        ledger_sum(&db).await,
        "the ledger adds up to the balance"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM point_uses WHERE account_id = 1 AND kind = 'bill'")
            .await,
        made + 1
    );
}
on_both_databases!(points, points_follow_lines_and_never_overdraw);

/// Twenty credits at once, each within the bill, together past it: the bill's credits never add up
/// to more than its debit.
async fn bill_credits_never_pass_the_bill(kind: Kind) {
    let db = TestDb::new(kind, "bill_cap").await;
    let first = Server::start(&db).await;
    let browser = taro(&first).await;
    let view = done(browser.reply("points", &[]).await);
    let date = view["credit_payment"].as_str().unwrap().to_string();
    let payments = payments(&browser).await;
    let due = payments["coming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date.as_str())
        .unwrap()
        .clone();
    let debit = debit(&due);
    assert!(debit > 0, "Taro has a bill to credit");
    drop(first);

    // A rate at which the smallest use (1,000 points) is worth about a quarter of the bill.
    let yen_per_100 = (debit / 40).max(1);
    let rate = yen_per_100.to_string();
    let server = Server::start_with(&db, &[("PORTAL_POINTS_BILL_YEN_PER_100", &rate)]).await;
    let browser = taro(&server).await;
    let points_before = balance(&browser).await;
    assert!(points_before >= 10_000, "the points are not what limits");
    let replies = race(&browser, "cap", json!({ "Bill": { "points": 1000 } })).await;
    let mut made = 0;
    for reply in replies {
        match reply {
            Reply::Done(_) => made += 1,
            Reply::Invalid(problems) => assert!(
                matches!(
                    problems[..],
                    [(
                        Field::Points,
                        Problem::Points(PointsProblem::MoreThanBill { .. })
                    )]
                ),
                "{problems:?}"
            ),
            other => panic!("{other:?}"),
        }
    }
    let each = 10 * yen_per_100;
    assert_eq!(
        made,
        debit / each,
        "every credit the bill covered, and no more"
    );
    let credited = db
        .count(&format!(
            "SELECT CAST(SUM(credit_yen) AS BIGINT) FROM point_uses WHERE account_id = 1 AND kind = 'bill' AND payment_date = '{date}'"
        ))
        .await;
    assert!(
        credited <= debit,
        "credited {credited} on a bill of {debit}"
    );
    assert_eq!(balance(&browser).await, points_before - made * 1000);
    assert_eq!(balance(&browser).await, ledger_sum(&db).await);
}
on_both_databases!(bill_cap, bill_credits_never_pass_the_bill);

async fn transfer_status(browser: &Browser, partner: &str) -> String {
    let view = done(browser.reply("points", &[]).await);
    view["uses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"]["Transfer"]["partner"] == partner)
        .map(|u| {
            u["kind"]["Transfer"]["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap_or_default()
}

async fn wait_for_status(browser: &Browser, partner: &str, want: &str) {
    for _ in 0..40 {
        if transfer_status(browser, partner).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the {partner} transfer never became {want}");
}

async fn transfers_complete_or_return_the_points(kind: Kind) {
    let db = TestDb::new(kind, "transfer").await;
    // A bill credit worth more than any bill shows the cap.
    let env = [
        ("PORTAL_DEMO_TRANSFER_SECS", "1"),
        ("PORTAL_POINTS_BILL_YEN_PER_100", "100000"),
    ];
    let server = Server::start_with(&db, &env).await;
    let browser = taro(&server).await;
    match use_points(
        &browser,
        "too-much-0001",
        json!({ "Bill": { "points": 1000 } }),
    )
    .await
    {
        Reply::Invalid(problems) => assert!(matches!(
            problems[..],
            [(
                Field::Points,
                Problem::Points(PointsProblem::MoreThanBill { .. })
            )]
        )),
        other => panic!("a credit above the bill was taken: {other:?}"),
    }
    let transfer = |partner: &'static str, points: i64, id: &'static str| {
        let browser = browser.clone();
        async move {
            use_points(
                &browser,
                id,
                json!({ "Transfer": { "partner": partner, "points": points } }),
            )
            .await
        }
    };
    assert_eq!(
        transfer("Ana", 1000, "ana-before-link").await,
        Reply::Refused(Refusal::PartnerNotLinked)
    );
    assert_eq!(
        browser
            .reply("partner_link", &[("partner", "ana"), ("number", "12345")])
            .await,
        Reply::Invalid(vec![(
            Field::PartnerNumber,
            Problem::PartnerNumber(PartnerNumberProblem::Length { digits: 10 })
        )])
    );
    assert!(
        browser
            .reply(
                "partner_link",
                &[("partner", "ana"), ("number", "１２３４５６７８９０")]
            )
            .await
            .is_done()
    );
    let view = done(browser.reply("points", &[]).await);
    let ana = view["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["partner"] == "Ana")
        .unwrap()
        .clone();
    assert_eq!(ana["number"], "******7890");

    let start = balance(&browser).await;
    assert_eq!(
        transfer("Ana", 1500, "ana-step-000").await,
        Reply::Invalid(vec![(
            Field::Points,
            Problem::Points(PointsProblem::Step { step: 1000 })
        )])
    );
    assert!(transfer("Ana", 1000, "ana-transfer-1").await.is_done());
    assert_eq!(balance(&browser).await, start - 1000);
    wait_for_status(&browser, "Ana", "Completed").await;
    assert_eq!(balance(&browser).await, start - 1000);

    // The demo partner refuses numbers ending in 00000: the points come back.
    assert!(
        browser
            .reply(
                "partner_link",
                &[("partner", "jal"), ("number", "123400000")]
            )
            .await
            .is_done()
    );
    assert!(transfer("Jal", 2500, "jal-transfer-1").await.is_done());
    assert_eq!(balance(&browser).await, start - 3500);
    wait_for_status(&browser, "Jal", "Failed").await;
    assert_eq!(balance(&browser).await, start - 1000);
    assert_eq!(balance(&browser).await, ledger_sum(&db).await);
    let mail = server.outbox().await;
    assert!(
        mail.iter().any(|m| m["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("ポイント移行")),
        "the member is told of every transfer"
    );
}
on_both_databases!(transfers, transfers_complete_or_return_the_points);

async fn expired_points_are_taken_off_once(kind: Kind) {
    let db = TestDb::new(kind, "expiry").await;
    let env = [("PORTAL_POINTS_EXPIRY_MONTHS", "12")];
    let server = Server::start_with(&db, &env).await;
    let browser = taro(&server).await;
    let expired = db
        .count("SELECT COUNT(*) FROM points_ledger WHERE account_id = 1 AND kind = 'expire'")
        .await;
    assert_eq!(
        expired, 1,
        "the welcome bonus and the oldest month expired at start"
    );
    assert_eq!(balance(&browser).await, ledger_sum(&db).await);
    drop(server);
    let again = Server::start_with(&db, &env).await;
    let browser = taro(&again).await;
    assert_eq!(
        db.count("SELECT COUNT(*) FROM points_ledger WHERE account_id = 1 AND kind = 'expire'")
            .await,
        1,
        "a second run the same day takes nothing more"
    );
    assert_eq!(balance(&browser).await, ledger_sum(&db).await);
}
on_both_databases!(expiry, expired_points_are_taken_off_once);

async fn family_members_leave_payments_and_points_to_the_holder(kind: Kind) {
    let db = TestDb::new(kind, "family").await;
    let server = Server::start(&db).await;
    let hanako = server.browser();
    register_hanako(&hanako).await;
    // Her home shows her own card's lines and no points: those are the holder's.
    let home: Value = hanako.call("home", &[]).await;
    assert_eq!(home["accounts"][0]["points"], Value::Null);
    let next = &home["accounts"][0]["next_statement"];
    let until = if next["is_final"] == true {
        next["closing_date"].as_str().unwrap().to_string()
    } else {
        home["today"].as_str().unwrap().to_string()
    };
    let closing = next["closing_date"].as_str().unwrap();
    let own = db
        .count(&format!(
            "SELECT CAST(COALESCE(SUM(amount_yen), 0) AS BIGINT) FROM transactions
             WHERE card_id = (SELECT id FROM cards WHERE last_digits = '90013')
               AND used_on > (SELECT COALESCE(MAX(closing_date), '0000-00-00') FROM statements WHERE account_id = 1 AND closing_date < '{closing}')
               AND used_on <= '{until}'"
        ))
        .await;
    assert_eq!(next["amount_yen"], own, "{home}");
    let holder_only = Reply::Refused(Refusal::HolderOnly);
    assert_eq!(hanako.reply("payments", &[]).await, holder_only);
    assert_eq!(hanako.reply("points", &[]).await, holder_only);
    assert_eq!(
        hanako.reply("spending_power", &[("amount", "1000")]).await,
        holder_only
    );
    let line = db
        .count("SELECT MAX(id) FROM transactions WHERE account_id = 1 AND status = 'posted' AND amount_yen > 5000")
        .await;
    assert_eq!(
        change(&hanako, &[line], revolving(10_000), true).await,
        holder_only
    );
    assert_eq!(
        use_points(
            &hanako,
            "family-use-0001",
            json!({ "Bill": { "points": 1000 } })
        )
        .await,
        holder_only
    );
    assert_eq!(plans_changes(&db).await, 0);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM point_uses").await,
        0,
        "nothing was taken from the account"
    );
}
on_both_databases!(
    family,
    family_members_leave_payments_and_points_to_the_holder
);
