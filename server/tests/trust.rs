//! The account-takeover paths, tried as an attacker would, over real HTTP against real portal
//! processes on SQLite and PostgreSQL.

mod common;

use common::{KEN_CARD, Kind, Server, TARO_CARD, TARO_PASSWORD, TestDb, refused};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::credentials::UserIdError;
use portal_domain::otp::CodeRefusal;
use serde_json::Value;

const TARO: &str = "demotaro";

fn with_front_code<'a>(card: &[(&'a str, &'a str); 3], code: &'a str) -> [(&'a str, &'a str); 3] {
    [card[0], ("front_code", code), card[2]]
}

async fn parallel_code_guesses_compare_at_most_five(kind: Kind) {
    let db = TestDb::new(kind, "code_race").await;
    let server = Server::start(&db).await;
    let attacker = server.browser();
    assert!(attacker.reply("reset_start", &TARO_CARD).await.is_done());
    let code = server.latest_code("taro.yamada@example.jp").await;
    let wrong = |n: usize| {
        let c = (code.parse::<u32>().unwrap() + 1 + n as u32) % 1_000_000;
        format!("{c:06}")
    };
    // 200 guesses at once, the right code among them in the middle.
    let guesses: Vec<String> = (0..200)
        .map(|n| if n == 100 { code.clone() } else { wrong(n) })
        .collect();
    let tasks: Vec<_> = guesses
        .into_iter()
        .map(|guess| {
            let browser = attacker.clone();
            tokio::spawn(async move { browser.reply("reset_verify", &[("code", &guess)]).await })
        })
        .collect();
    let mut verified = 0;
    for task in tasks {
        if task.await.unwrap().is_done() {
            verified += 1;
        }
    }
    let compared = db
        .count("SELECT COUNT(*) FROM audit_log WHERE event IN ('code_wrong', 'code_verified')")
        .await;
    assert!(compared <= 5, "{compared} codes were compared");
    assert!(verified <= 1);
    assert!(db.count("SELECT MAX(code_entries) FROM flows").await <= 5);
    if verified == 0 {
        assert_eq!(
            refused(&attacker.reply("reset_verify", &[("code", &code)]).await),
            Refusal::Code(CodeRefusal::TooManyAttempts),
            "the right code is refused once the entries are spent"
        );
    }

    // Five wrong entries one after another, then the right one: refused.
    let member = server.browser();
    assert!(member.reply("reset_start", &TARO_CARD).await.is_done());
    let code = server.latest_code("taro.yamada@example.jp").await;
    for n in 0..5 {
        member.reply("reset_verify", &[("code", &wrong(n))]).await;
    }
    assert_eq!(
        refused(&member.reply("reset_verify", &[("code", &code)]).await),
        Refusal::Code(CodeRefusal::TooManyAttempts)
    );
}
on_both_databases!(code_race, parallel_code_guesses_compare_at_most_five);

async fn identity_checks_lock_the_card_on_every_process(kind: Kind) {
    let db = TestDb::new(kind, "identity_lock").await;
    let one = Server::start(&db).await;
    let two = Server::start(&db).await;
    // Wrong front codes for 佐藤 健's unregistered card, from two processes in turn.
    for (n, code) in ["0001", "0002", "0003", "0004"].into_iter().enumerate() {
        let server = if n % 2 == 0 { &one } else { &two };
        let reply = server
            .browser()
            .reply("register_card", &with_front_code(&KEN_CARD, code))
            .await;
        assert_eq!(refused(&reply), Refusal::CardNotMatched);
    }
    let fifth = one
        .browser()
        .reply("register_card", &with_front_code(&KEN_CARD, "0005"))
        .await;
    assert!(
        matches!(refused(&fifth), Refusal::IdentityLocked { .. }),
        "{fifth:?}"
    );
    // The right answer is refused too, on the other process, for every identity check.
    for endpoint in ["register_card", "recover_user_id", "reset_start"] {
        let reply = two.browser().reply(endpoint, &KEN_CARD).await;
        assert!(
            matches!(refused(&reply), Refusal::IdentityLocked { .. }),
            "{endpoint}: {reply:?}"
        );
    }
    let notice = one
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == "ken.sato@example.jp")
        .expect("the registered address is told");
    assert!(notice["subject"].as_str().unwrap().contains("本人確認"));
    assert_eq!(
        db.count("SELECT COUNT(*) FROM online_users").await,
        1,
        "nothing was registered"
    );
    // An hour later the card's checks work again.
    one.advance_clock(3600).await;
    assert!(
        one.browser()
            .reply("register_card", &KEN_CARD)
            .await
            .is_done()
    );

    // A card number nobody holds behaves the same.
    let unknown = [
        ("card_number", "371234567890047"),
        ("front_code", "1111"),
        ("birth_date", "1990-01-01"),
    ];
    for _ in 0..4 {
        let reply = one.browser().reply("register_card", &unknown).await;
        assert_eq!(refused(&reply), Refusal::CardNotMatched);
    }
    let reply = two.browser().reply("register_card", &unknown).await;
    assert!(matches!(refused(&reply), Refusal::IdentityLocked { .. }));

    // A success resets the count: 鈴木 美咲 mistypes four times, then gets it right.
    let misaki = [
        ("card_number", "371234567890039"),
        ("front_code", "2468"),
        ("birth_date", "1978-02-28"),
    ];
    for _ in 0..4 {
        let reply = one
            .browser()
            .reply("recover_user_id", &with_front_code(&misaki, "1111"))
            .await;
        assert_eq!(refused(&reply), Refusal::CardNotMatched);
    }
    assert_eq!(
        refused(&one.browser().reply("recover_user_id", &misaki).await),
        Refusal::NotRegistered
    );
    for _ in 0..4 {
        let reply = one
            .browser()
            .reply("recover_user_id", &with_front_code(&misaki, "1111"))
            .await;
        assert_eq!(refused(&reply), Refusal::CardNotMatched);
    }
}
on_both_databases!(
    identity_lock,
    identity_checks_lock_the_card_on_every_process
);

async fn over_long_input_is_refused_before_anything_is_stored(kind: Kind) {
    let db = TestDb::new(kind, "bounds").await;
    let server = Server::start(&db).await;
    let huge = "a".repeat(1_000_000);
    let reply = server.browser().sign_in(&huge, "whatever-1").await;
    assert_eq!(
        reply,
        Reply::Invalid(vec![(Field::UserId, Problem::UserId(UserIdError::TooLong))])
    );
    let longest = db
        .count("SELECT CAST(COALESCE(MAX(LENGTH(guard_key)), 0) AS BIGINT) FROM attempt_guards")
        .await;
    assert!(longest < 100, "a guard key of {longest} characters");
    let longest = db
        .count("SELECT CAST(COALESCE(MAX(LENGTH(login_key)), 0) AS BIGINT) FROM audit_log")
        .await;
    assert!(
        longest <= 20,
        "an audited login key of {longest} characters"
    );
    // A password no account can have is not hashed either.
    let reply = server.browser().sign_in(TARO, &huge).await;
    assert!(matches!(reply, Reply::Invalid(_)), "{reply:?}");
    assert!(
        server
            .browser()
            .sign_in(TARO, TARO_PASSWORD)
            .await
            .is_done()
    );
}
on_both_databases!(bounds, over_long_input_is_refused_before_anything_is_stored);

async fn a_lock_tells_the_member_the_way_out(kind: Kind) {
    let db = TestDb::new(kind, "lock_notice").await;
    let server = Server::start(&db).await;
    for _ in 0..3 {
        server.browser().sign_in(TARO, "wrong-password-1").await;
    }
    let mail = server
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == "taro.yamada@example.jp")
        .expect("a notice of the lock");
    assert!(mail["subject"].as_str().unwrap().contains("ロック"));
    assert!(mail["body"].as_str().unwrap().contains("/recover/password"));
}
on_both_databases!(lock_notice, a_lock_tells_the_member_the_way_out);

async fn an_idle_session_is_refused(kind: Kind) {
    let db = TestDb::new(kind, "idle").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    server.advance_clock(14 * 60).await;
    assert_eq!(
        taro.session_user().await.as_deref(),
        Some(TARO),
        "14 minutes idle"
    );
    server.advance_clock(15 * 60 + 1).await;
    assert_eq!(
        taro.session_user().await,
        None,
        "15 minutes and a second idle"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
}
on_both_databases!(idle, an_idle_session_is_refused);

async fn partner_links_and_transfers_need_a_fresh_confirmation(kind: Kind) {
    let db = TestDb::new(kind, "confirm_points").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    server.advance_clock(301).await;
    let link = [("partner", "ana"), ("number", "1234567890")];
    assert_eq!(
        refused(&taro.reply("partner_link", &link).await),
        Refusal::ConfirmationNeeded
    );
    let transfer: Reply<Value> = taro
        .call_json(
            "points_use",
            serde_json::json!({
                "request_id": "transfer-unconfirmed-1",
                "request": { "Transfer": { "partner": "Ana", "points": 1000 } },
            }),
        )
        .await;
    assert_eq!(refused(&transfer), Refusal::ConfirmationNeeded);
    assert!(
        taro.reply("confirm_password", &[("password", TARO_PASSWORD)])
            .await
            .is_done()
    );
    let linked = taro.reply("partner_link", &link).await;
    assert!(linked.is_done(), "{linked:?}");
}
on_both_databases!(
    confirm_points,
    partner_links_and_transfers_need_a_fresh_confirmation
);

async fn registration_cannot_list_user_ids(kind: Kind) {
    let db = TestDb::new(kind, "taken").await;
    let server = Server::start_with(&db, &[("PORTAL_RATE_USER_ID_TAKEN_PER_FLOW", "3")]).await;
    let ken = server.browser();
    assert!(ken.reply("register_card", &KEN_CARD).await.is_done());
    let try_id = |id: &'static str| {
        let ken = ken.clone();
        async move {
            ken.reply(
                "register_account",
                &[
                    ("user_id", id),
                    ("password", "Green-Tea-2026"),
                    ("password_confirm", "Green-Tea-2026"),
                ],
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(refused(&try_id("demotaro").await), Refusal::UserIdTaken);
    }
    assert!(matches!(
        refused(&try_id("demotaro").await),
        Refusal::RateLimited { .. }
    ));
}
on_both_databases!(taken, registration_cannot_list_user_ids);

async fn refusal_redirects_carry_nothing_identifying(kind: Kind) {
    let db = TestDb::new(kind, "redirect").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    let res = browser
        .http
        .post(format!("{}/api/register_card", server.base))
        .header("Origin", &server.base)
        .header("Accept", "text/html")
        .form(&with_front_code(&KEN_CARD, "0000"))
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .expect("back to the form")
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.starts_with("/register?reply="), "{location}");
    for secret in ["1990", "90021", "0000"] {
        assert!(!location.contains(secret), "{location}");
    }
}
on_both_databases!(redirect, refusal_redirects_carry_nothing_identifying);

async fn strength_estimates_and_statements_are_rate_limited(kind: Kind) {
    let db = TestDb::new(kind, "throttles").await;
    let server = Server::start_with(
        &db,
        &[
            ("PORTAL_RATE_STRENGTH_PER_MIN", "3"),
            ("PORTAL_RATE_PDF_PER_MIN", "2"),
        ],
    )
    .await;
    let browser = server.browser();
    let form = [("password", "Green-Tea-2026"), ("user_id", "")];
    for _ in 0..3 {
        let score: Option<u8> = browser.call("password_strength", &form).await;
        assert!(score.is_some());
    }
    let score: Option<u8> = browser.call("password_strength", &form).await;
    assert_eq!(score, None);

    assert!(browser.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let closing = latest_closing(&db).await;
    for _ in 0..2 {
        let res = browser
            .get(&format!("/statement.pdf?period={closing}"))
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = browser
        .get(&format!("/statement.pdf?period={closing}"))
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}
on_both_databases!(
    throttles,
    strength_estimates_and_statements_are_rate_limited
);

async fn latest_closing(db: &TestDb) -> String {
    let pool = db.pool().await;
    let (closing,): (String,) = sqlx::query_as(
        "SELECT closing_date FROM statements WHERE account_id = 1 ORDER BY closing_date DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    closing
}

async fn secure_cookies_and_hsts_when_served_over_https(kind: Kind) {
    let db = TestDb::new(kind, "https").await;
    let server = Server::start_with(&db, &[("PORTAL_SECURE_COOKIES", "1")]).await;
    let res = server
        .browser()
        .http
        .post(format!("{}/api/sign_in", server.base))
        .header("Origin", &server.base)
        .form(&[("user_id", TARO), ("password", TARO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap().contains("max-age="))
    );
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    // From another site, refused.
    let res = server
        .browser()
        .http
        .post(format!("{}/api/sign_in", server.base))
        .header("Origin", "https://evil.example")
        .form(&[("user_id", TARO), ("password", TARO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
on_both_databases!(https, secure_cookies_and_hsts_when_served_over_https);

async fn screens_state_the_configured_policy(kind: Kind) {
    let db = TestDb::new(kind, "policy").await;
    let server = Server::start_with(
        &db,
        &[("PORTAL_USER_ID_MIN", "6"), ("PORTAL_PASSWORD_MIN", "10")],
    )
    .await;
    let page = server
        .browser()
        .get("/register/account")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("半角英数字6〜20文字"), "{page}");
    assert!(page.contains("10文字以上で、英字と数字を両方含めてください"));
    assert!(!page.contains("8文字以上"));
}
on_both_databases!(policy, screens_state_the_configured_policy);

async fn parallel_spending_checks_cannot_pass_the_days_limit(kind: Kind) {
    let db = TestDb::new(kind, "spending_race").await;
    let server = Server::start_with(
        &db,
        &[
            ("PORTAL_RATE_SPENDING_PER_HOUR", "100"),
            ("PORTAL_RATE_SPENDING_PER_DAY", "5"),
        ],
    )
    .await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let checks: Vec<_> = (0..20)
        .map(|n| {
            let taro = taro.clone();
            let amount = (100_000 + n * 1_000).to_string();
            tokio::spawn(async move { taro.reply("spending_power", &[("amount", &amount)]).await })
        })
        .collect();
    let mut answered = 0;
    for check in checks {
        match check.await.unwrap() {
            Reply::Done(_) => answered += 1,
            Reply::Refused(Refusal::RateLimited { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(answered, 5, "the day's five, however many at once");
}
on_both_databases!(
    spending_race,
    parallel_spending_checks_cannot_pass_the_days_limit
);
