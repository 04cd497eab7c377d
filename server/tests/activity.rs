//! Card activity over real HTTP on SQLite and PostgreSQL: filters, paging by key, subtotals,
//! notes on a line, the CSV, and that a member only ever sees their own lines.

mod common;

use std::collections::HashSet;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, register_ken};
use portal_domain::activity::FilterProblem;
use portal_domain::api::{Refusal, Reply};
use serde_json::{Value, json};

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(value) => value,
        other => panic!("expected done, got {other:?}"),
    }
}

fn pairs(filter: &[(&str, &str)]) -> Value {
    json!({ "pairs": filter })
}

async fn page(browser: &Browser, filter: &[(&str, &str)], cursor: Option<&str>) -> Reply<Value> {
    browser
        .call_json(
            "activity_page",
            json!({ "query": pairs(filter), "cursor": cursor }),
        )
        .await
}

async fn summary(browser: &Browser, filter: &[(&str, &str)]) -> Reply<Value> {
    browser
        .call_json("activity_summary", json!({ "query": pairs(filter) }))
        .await
}

/// Every line of a filter, following the cursors to the end.
async fn all_lines(browser: &Browser, filter: &[(&str, &str)]) -> Vec<Value> {
    let mut lines = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let p = done(page(browser, filter, cursor.as_deref()).await);
        let batch = p["lines"].as_array().unwrap();
        assert!(batch.len() <= 50, "a page holds at most 50 lines");
        lines.extend(batch.iter().cloned());
        match p["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    lines
}

async fn taro(server: &Server) -> Browser {
    let browser = server.browser();
    assert!(browser.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    browser
}

async fn filters_pages_and_subtotals(kind: Kind) {
    let db = TestDb::new(kind, "activity").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;

    let everything = done(summary(&taro, &[]).await);
    let holders = everything["by_holder"].as_array().unwrap();
    assert_eq!(holders.len(), 2, "Taro's card and Hanako's family card");
    let subtotal_sum: i64 = holders
        .iter()
        .map(|h| h["sum"]["yen"].as_i64().unwrap())
        .sum();
    assert_eq!(subtotal_sum, everything["total"]["yen"].as_i64().unwrap());
    let periods = everything["periods"].as_array().unwrap();
    assert_eq!(periods[0]["closing_date"], "open");
    assert!(periods.len() >= 12, "a year of closed statements");

    // His wife's card: only her lines, and her subtotal is the whole total.
    let hanako = [("card", "90013")];
    let hers = done(summary(&taro, &hanako).await);
    let her_lines = all_lines(&taro, &hanako).await;
    assert!(!her_lines.is_empty());
    assert!(
        her_lines
            .iter()
            .all(|l| l["last_digits"] == "90013" && l["holder_ja"] == "山田 花子")
    );
    assert_eq!(
        her_lines.len() as i64,
        hers["total"]["count"].as_i64().unwrap()
    );
    let her_subtotal = hers["by_holder"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["last_digits"] == "90013")
        .unwrap()["sum"]["yen"]
        .as_i64()
        .unwrap();
    assert_eq!(her_subtotal, hers["total"]["yen"].as_i64().unwrap());

    // Pages by key: newest first, no line twice, nothing skipped.
    let lines = all_lines(&taro, &[]).await;
    assert_eq!(
        lines.len() as i64,
        everything["total"]["count"].as_i64().unwrap()
    );
    assert!(lines.len() > 150, "the history spans several pages");
    let ids: HashSet<i64> = lines.iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), lines.len());
    assert!(
        lines
            .windows(2)
            .all(|w| w[0]["used_on"].as_str() >= w[1]["used_on"].as_str())
    );

    // A closed statement: its days only, and its amount is the sum of its lines.
    let closed = periods[1]["closing_date"].as_str().unwrap().to_string();
    let period = [("period", closed.as_str())];
    let lines = all_lines(&taro, &period).await;
    assert!(!lines.is_empty());
    let start = periods[1]["start"].as_str().unwrap();
    assert!(lines.iter().all(|l| {
        let d = l["used_on"].as_str().unwrap();
        d >= start && d <= closed.as_str()
    }));
    assert_eq!(
        periods[1]["amount_yen"].as_i64().unwrap(),
        done(summary(&taro, &period).await)["total"]["yen"]
            .as_i64()
            .unwrap(),
        "a closed statement's amount is the sum of its lines"
    );

    // Merchant text: half-width, full-width and case alike.
    let seven = all_lines(&taro, &[("q", "ｾﾌﾞﾝ")]).await;
    assert!(!seven.is_empty());
    assert!(seven.iter().all(|l| l["merchant"] == "セブン-イレブン"));
    let amazon = all_lines(&taro, &[("q", "ＡＭＡＺＯＮ")]).await;
    let names: HashSet<&str> = amazon
        .iter()
        .map(|l| l["merchant"].as_str().unwrap())
        .collect();
    assert!(names.contains("Amazon.co.jp"));
    assert!(names.iter().all(|n| n.to_lowercase().contains("amazon")));

    // Amounts and status.
    let big = all_lines(&taro, &[("min", "30,000"), ("status", "posted")]).await;
    assert!(
        big.iter()
            .all(|l| l["amount_yen"].as_i64().unwrap() >= 30_000 && l["status"] == "Posted")
    );
    let Reply::Refused(Refusal::Filter(problem)) =
        page(&taro, &[("from", "2026-02-01"), ("to", "2026-01-01")], None).await
    else {
        panic!("reversed dates are refused");
    };
    assert_eq!(problem, FilterProblem::DatesReversed);
}
on_both_databases!(filters_pages_and_subtotals, filters_pages_and_subtotals);

async fn notes_stay_and_are_searchable(kind: Kind) {
    let db = TestDb::new(kind, "activity_notes").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let line = done(page(&taro, &[("q", "スターバックス")], None).await)["lines"][0].clone();
    let id = line["id"].as_i64().unwrap().to_string();

    let memo = "<b>ミーティング</b> 佐々木さんと";
    let reply = taro
        .reply(
            "line_note",
            &[("id", &id), ("category", "travel"), ("memo", memo)],
        )
        .await;
    assert!(reply.is_done(), "{reply:?}");
    let found = all_lines(&taro, &[("q", "みーてぃんぐ")]).await;
    assert_eq!(found.len(), 1, "the memo is searchable, kana alike");
    assert_eq!(found[0]["memo"], memo, "kept as text");
    assert_eq!(found[0]["category"], "travel");

    let bad = taro
        .reply(
            "line_note",
            &[("id", &id), ("category", "casino"), ("memo", "")],
        )
        .await;
    assert!(matches!(bad, Reply::Invalid(_)));
    let long = "あ".repeat(101);
    let bad = taro
        .reply(
            "line_note",
            &[("id", &id), ("category", "dining"), ("memo", &long)],
        )
        .await;
    assert!(matches!(bad, Reply::Invalid(_)));
}
on_both_databases!(notes_stay_and_are_searchable, notes_stay_and_are_searchable);

async fn members_see_only_their_own_lines(kind: Kind) {
    let db = TestDb::new(kind, "activity_isolation").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let taro_line = done(page(&taro, &[], None).await)["lines"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();

    let ken = server.browser();
    register_ken(&ken, "KenSato90", "Green-Tea-2026").await;
    let his = all_lines(&ken, &[]).await;
    assert!(!his.is_empty());
    assert!(his.iter().all(|l| l["last_digits"] == "90021"));
    for filter in [[("card", "90005")], [("card", "90013")]] {
        assert_eq!(all_lines(&ken, &filter).await.len(), 0, "{filter:?}");
        assert_eq!(done(summary(&ken, &filter).await)["total"]["count"], 0);
    }
    let reply = ken
        .reply(
            "line_note",
            &[("id", &taro_line), ("category", "other"), ("memo", "mine")],
        )
        .await;
    assert!(matches!(reply, Reply::Refused(Refusal::LineNotFound)));
    let Reply::Refused(Refusal::SignedOut) = page(&server.browser(), &[], None).await else {
        panic!("no lines without a session");
    };
}
on_both_databases!(
    members_see_only_their_own_lines,
    members_see_only_their_own_lines
);

async fn the_csv_is_excel_ready_and_follows_the_filter(kind: Kind) {
    let db = TestDb::new(kind, "activity_csv").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let hers = all_lines(&taro, &[("card", "90013")]).await;

    let res = taro.get("/activity.csv?card=90013").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        res.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"activity-90013.csv\""
    );
    let bytes = res.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert!(rows[0].starts_with("利用日 / Date used,"));
    assert_eq!(rows.len() - 1, hers.len(), "one row per line");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.contains("XXXX-XXXXXX-90013") && r.contains("山田 花子"))
    );
    assert!(
        !text.contains("371234567890013"),
        "never the full card number"
    );

    let anonymous = server.browser().get("/activity.csv").await;
    assert_eq!(anonymous.status(), 303);
    let bad = taro.get("/activity.csv?min=5&max=1").await;
    assert_eq!(bad.status(), 400);
}
on_both_databases!(
    the_csv_is_excel_ready_and_follows_the_filter,
    the_csv_is_excel_ready_and_follows_the_filter
);

/// The CSV is read in batches by key: a download longer than a batch has every line once.
async fn a_long_csv_has_every_line_once(kind: Kind) {
    let db = TestDb::new(kind, "long_csv").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let pool = db.pool().await;
    // Doubling Taro's lines (same dates, new ids) until there are several batches of them.
    while db
        .count("SELECT COUNT(*) FROM transactions WHERE account_id = 1")
        .await
        < 12_000
    {
        sqlx::query(
            "INSERT INTO transactions (account_id, card_id, used_on, posted_on, merchant, amount_yen,
                 foreign_currency, foreign_minor, status, category, memo, merchant_key, memo_key)
             SELECT account_id, card_id, used_on, posted_on, merchant, amount_yen, foreign_currency,
                 foreign_minor, status, category, memo, merchant_key, memo_key
             FROM transactions WHERE account_id = 1",
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    let lines = db
        .count("SELECT COUNT(*) FROM transactions WHERE account_id = 1")
        .await;
    let bytes = taro.get("/activity.csv").await.bytes().await.unwrap();
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len() as i64 - 1, lines, "one row per line, none twice");
}
on_both_databases!(long_csv, a_long_csv_has_every_line_once);

async fn a_closed_statement_downloads_as_pdf(kind: Kind) {
    let db = TestDb::new(kind, "statement_pdf").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let periods = done(summary(&taro, &[]).await)["periods"].clone();
    let closed = periods[1]["closing_date"].as_str().unwrap().to_string();

    let res = taro.get(&format!("/statement.pdf?period={closed}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() < 500_000,
        "the font is subset, not embedded whole"
    );

    assert_eq!(taro.get("/statement.pdf?period=open").await.status(), 404);
    assert_eq!(
        taro.get("/statement.pdf?period=1999-01-20").await.status(),
        404
    );
    let ken = server.browser();
    register_ken(&ken, "KenSato90", "Green-Tea-2026").await;
    let his = ken.get(&format!("/statement.pdf?period={closed}")).await;
    assert_eq!(
        his.status(),
        404,
        "Taro's closing date is not a statement of Ken's"
    );
    assert_eq!(
        server
            .browser()
            .get(&format!("/statement.pdf?period={closed}"))
            .await
            .status(),
        303
    );
}
on_both_databases!(
    a_closed_statement_downloads_as_pdf,
    a_closed_statement_downloads_as_pdf
);

async fn a_statement_becomes_final_once_with_a_notice(kind: Kind) {
    let db = TestDb::new(kind, "closing").await;
    let server = Server::start(&db).await;
    let taro = taro(&server).await;
    let home: Value = taro.call("home", &[]).await;
    let notices = home["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "the statement closed at start");
    let latest = done(summary(&taro, &[]).await)["periods"][1].clone();
    assert_eq!(notices[0]["closing_date"], latest["closing_date"]);
    assert_eq!(notices[0]["payment_date"], latest["payment_date"]);
    assert_eq!(notices[0]["amount_yen"], latest["amount_yen"]);
    let payments = done(taro.reply("payments", &[]).await);
    let due = payments["coming"]
        .as_array()
        .unwrap()
        .iter()
        .chain(payments["history"].as_array().unwrap())
        .find(|d| d["date"] == latest["payment_date"])
        .expect("the statement's payment date is in the schedule")["due"]
        .clone();
    let debit = [
        "lump_sum_yen",
        "revolving_yen",
        "revolving_fee_yen",
        "instalment_yen",
        "instalment_fee_yen",
    ]
    .iter()
    .map(|k| due[k].as_i64().unwrap())
    .sum::<i64>()
        - due["credit_yen"].as_i64().unwrap();
    assert_eq!(
        notices[0]["amount_yen"], debit,
        "the notice tells what the payment date debits"
    );
    let closed_lines = all_lines(
        &taro,
        &[("period", latest["closing_date"].as_str().unwrap())],
    )
    .await;
    let sum: i64 = closed_lines
        .iter()
        .map(|l| l["amount_yen"].as_i64().unwrap())
        .sum();
    assert_eq!(
        sum,
        latest["amount_yen"].as_i64().unwrap(),
        "final amount = its lines"
    );

    let statements = db.count("SELECT COUNT(*) FROM statements").await;
    let notices = db.count("SELECT COUNT(*) FROM statement_notices").await;
    assert_eq!(notices, 5, "one per account (鈴木 美咲 holds two)");
    let second = Server::start(&db).await;
    assert_eq!(
        db.count("SELECT COUNT(*) FROM statements").await,
        statements
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM statement_notices").await,
        notices
    );
    drop(second);
}
on_both_databases!(
    a_statement_becomes_final_once_with_a_notice,
    a_statement_becomes_final_once_with_a_notice
);
