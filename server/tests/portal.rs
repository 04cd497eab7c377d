//! Every server function, over real HTTP, against a real portal process on SQLite and PostgreSQL.

mod common;

use common::{KEN_CARD, Kind, Server, TARO_CARD, TARO_PASSWORD, TestDb, refused, register_ken};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::card::CardNumberError;
use portal_domain::credentials::PasswordProblem;
use portal_domain::otp::CodeRefusal;
use serde_json::Value;

fn problems(reply: &Reply<Value>) -> Vec<(Field, Problem)> {
    match reply {
        Reply::Invalid(p) => p.clone(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

async fn registration_signs_the_member_in(kind: Kind) {
    let db = TestDb::new(kind, "register").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    register_ken(&browser, "KenSato90", "Green-Tea-2026").await;
    assert_eq!(browser.session_user().await.as_deref(), Some("KenSato90"));

    let home: Value = browser.call("home", &[]).await;
    assert_eq!(home["name_ja"], "佐藤 健");
    let cards = home["accounts"][0]["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["last_digits"], "90021");
    assert!(
        !home.to_string().contains("371234567890021"),
        "the full card number never leaves the server"
    );

    let _: () = browser.call("sign_out", &[]).await;
    assert_eq!(browser.session_user().await, None);
    let home: Option<Value> = browser.call("home", &[]).await;
    assert!(home.is_none(), "signed out means no data");

    // The user ID is not case-sensitive; the password is.
    let other = server.browser();
    assert!(other.sign_in("kensato90", "Green-Tea-2026").await.is_done());
    assert_eq!(
        refused(
            &server
                .browser()
                .sign_in("kensato90", "green-tea-2026")
                .await
        ),
        Refusal::BadCredentials { remaining: 2 }
    );
    assert!(
        server
            .outbox()
            .await
            .iter()
            .any(|m| m["to"] == "ken.sato@example.jp"),
        "a welcome notice"
    );
    let registered = db
        .count("SELECT COUNT(*) FROM audit_log WHERE event = 'registered'")
        .await;
    assert_eq!(registered, 1);
}
on_both_databases!(
    registration_signs_the_member_in,
    registration_signs_the_member_in
);

async fn registration_explains_every_refusal(kind: Kind) {
    let db = TestDb::new(kind, "register_refusals").await;
    let server = Server::start(&db).await;
    let browser = server.browser();

    let bad_luhn = browser
        .reply(
            "register_card",
            &[
                ("card_number", "371234567890006"),
                ("front_code", "4321"),
                ("birth_date", "1990-11-03"),
            ],
        )
        .await;
    assert_eq!(
        problems(&bad_luhn),
        vec![(
            Field::CardNumber,
            Problem::CardNumber(CardNumberError::ChecksumFailed)
        )]
    );

    let empty = browser
        .reply(
            "register_card",
            &[("card_number", ""), ("front_code", ""), ("birth_date", "")],
        )
        .await;
    assert_eq!(problems(&empty).len(), 3);

    let wrong_code = browser
        .reply(
            "register_card",
            &[
                ("card_number", "371234567890021"),
                ("front_code", "4322"),
                ("birth_date", "1990-11-03"),
            ],
        )
        .await;
    assert_eq!(refused(&wrong_code), Refusal::CardNotMatched);
    let wrong_birth = browser
        .reply(
            "register_card",
            &[
                ("card_number", "371234567890021"),
                ("front_code", "4321"),
                ("birth_date", "1990-11-04"),
            ],
        )
        .await;
    assert_eq!(refused(&wrong_birth), Refusal::CardNotMatched);

    assert_eq!(
        refused(&browser.reply("register_card", &TARO_CARD).await),
        Refusal::AlreadyRegistered
    );

    let no_flow = server
        .browser()
        .reply(
            "register_account",
            &[
                ("user_id", "someone1"),
                ("password", "Green-Tea-2026"),
                ("password_confirm", "Green-Tea-2026"),
            ],
        )
        .await;
    assert_eq!(refused(&no_flow), Refusal::FlowExpired);

    assert!(browser.reply("register_card", &KEN_CARD).await.is_done());
    let bad = browser
        .reply(
            "register_account",
            &[
                ("user_id", "ken"),
                ("password", "password1"),
                ("password_confirm", "password2"),
            ],
        )
        .await;
    let found = problems(&bad);
    assert!(found.contains(&(
        Field::UserId,
        Problem::UserId(portal_domain::credentials::UserIdError::TooShort)
    )));
    assert!(found.contains(&(Field::Password, Problem::Password(PasswordProblem::TooWeak))));
    assert!(found.contains(&(Field::PasswordConfirm, Problem::PasswordMismatch)));

    let contains_id = browser
        .reply(
            "register_account",
            &[
                ("user_id", "kensato"),
                ("password", "KenSato-2026x"),
                ("password_confirm", "KenSato-2026x"),
            ],
        )
        .await;
    assert!(problems(&contains_id).contains(&(
        Field::Password,
        Problem::Password(PasswordProblem::ContainsUserId)
    )));

    let taken = browser
        .reply(
            "register_account",
            &[
                ("user_id", "DEMOTARO"),
                ("password", "Green-Tea-2026"),
                ("password_confirm", "Green-Tea-2026"),
            ],
        )
        .await;
    assert_eq!(refused(&taken), Refusal::UserIdTaken);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM online_users").await,
        1,
        "nothing was created"
    );
}
on_both_databases!(
    registration_explains_every_refusal,
    registration_explains_every_refusal
);

async fn three_wrong_passwords_lock_the_account(kind: Kind) {
    let db = TestDb::new(kind, "lockout").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    assert_eq!(
        refused(&browser.sign_in("demotaro", "wrong-1").await),
        Refusal::BadCredentials { remaining: 2 }
    );
    // A success in between starts the count again.
    assert!(browser.sign_in("DemoTaro", TARO_PASSWORD).await.is_done());
    let attacker = server.browser();
    assert_eq!(
        refused(&attacker.sign_in("demotaro", "wrong-1").await),
        Refusal::BadCredentials { remaining: 2 }
    );
    assert_eq!(
        refused(&attacker.sign_in("demotaro", "wrong-2").await),
        Refusal::BadCredentials { remaining: 1 }
    );
    assert_eq!(
        refused(&attacker.sign_in("demotaro", "wrong-3").await),
        Refusal::Locked
    );
    assert_eq!(
        refused(&attacker.sign_in("demotaro", TARO_PASSWORD).await),
        Refusal::Locked,
        "even the right password"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'locked'")
            .await,
        1
    );
    let secrets = db.count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%wrong-%' OR detail LIKE '%Portal2026%'").await;
    assert_eq!(secrets, 0, "no password in the audit log");
}
on_both_databases!(
    three_wrong_passwords_lock_the_account,
    three_wrong_passwords_lock_the_account
);

async fn an_unknown_user_id_answers_like_a_real_one(kind: Kind) {
    let db = TestDb::new(kind, "unknown").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    let real = refused(&browser.sign_in("demotaro", "wrong-1").await);
    let unknown = refused(&browser.sign_in("nosuchmember", "wrong-1").await);
    assert_eq!(
        real, unknown,
        "the same message whether the ID exists or not"
    );
    assert_eq!(
        refused(&browser.sign_in("nosuchmember", "wrong-2").await),
        Refusal::BadCredentials { remaining: 1 }
    );
    assert_eq!(
        refused(&browser.sign_in("nosuchmember", "wrong-3").await),
        Refusal::Locked
    );
    assert_eq!(
        refused(&browser.sign_in("NoSuchMember", "anything").await),
        Refusal::Locked
    );
}
on_both_databases!(
    an_unknown_user_id_answers_like_a_real_one,
    an_unknown_user_id_answers_like_a_real_one
);

/// Fifty simultaneous wrong attempts, spread over two server processes on one database, verify at
/// most three passwords in all, and the account ends locked.
async fn fifty_parallel_wrong_attempts_verify_at_most_three(kind: Kind) {
    let db = TestDb::new(kind, "parallel").await;
    let first = Server::start(&db).await;
    let second = Server::start(&db).await;
    let mut attempts = Vec::new();
    for i in 0..50 {
        let browser = if i % 2 == 0 {
            first.browser()
        } else {
            second.browser()
        };
        attempts.push(tokio::spawn(async move {
            browser.sign_in("demotaro", &format!("wrong-{i}")).await
        }));
    }
    let (mut bad_credentials, mut locked, mut in_flight) = (0, 0, 0);
    for attempt in attempts {
        match refused(&attempt.await.unwrap()) {
            Refusal::BadCredentials { .. } => bad_credentials += 1,
            Refusal::Locked => locked += 1,
            // The slots were all taken by attempts still being checked: not "locked" yet.
            Refusal::TryAgain => in_flight += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(bad_credentials + locked + in_flight, 50);
    assert!(
        bad_credentials <= 2,
        "at most two answers before the lock, got {bad_credentials}"
    );
    let verified = db
        .count("SELECT COUNT(*) FROM audit_log WHERE event = 'sign_in_failed'")
        .await;
    assert!(verified <= 3, "passwords verified: {verified}");
    assert_eq!(verified, 3, "the three slots were all used");
    assert_eq!(
        refused(&first.browser().sign_in("demotaro", TARO_PASSWORD).await),
        Refusal::Locked
    );
    assert_eq!(
        refused(&second.browser().sign_in("demotaro", TARO_PASSWORD).await),
        Refusal::Locked
    );
}
on_both_databases!(
    fifty_parallel_wrong_attempts_verify_at_most_three,
    fifty_parallel_wrong_attempts_verify_at_most_three
);

async fn reset_unlocks_ends_sessions_and_keeps_secrets_out_of_logs(kind: Kind) {
    let db = TestDb::new(kind, "reset").await;
    let server = Server::start(&db).await;
    let phone = server.browser();
    assert!(phone.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let attacker = server.browser();
    for _ in 0..3 {
        attacker.sign_in("demotaro", "guess-123").await;
    }
    assert_eq!(
        refused(&attacker.sign_in("demotaro", TARO_PASSWORD).await),
        Refusal::Locked
    );

    let member = server.browser();
    let started = member.reply("reset_start", &TARO_CARD).await;
    assert!(started.is_done(), "{started:?}");
    let status: Option<Value> = member.call("reset_status", &[]).await;
    assert_eq!(status.unwrap()["email_hint"], "ta***@example.jp");
    let code = server.latest_code("taro.yamada@example.jp").await;

    // Before the code: no new password.
    let early = member
        .reply(
            "reset_finish",
            &[
                ("password", "Sakura-Blossom-77"),
                ("password_confirm", "Sakura-Blossom-77"),
            ],
        )
        .await;
    assert_eq!(refused(&early), Refusal::FlowExpired);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        refused(&member.reply("reset_verify", &[("code", wrong)]).await),
        Refusal::Code(CodeRefusal::Wrong { remaining: 4 })
    );
    assert!(
        matches!(refused(&member.reply("reset_resend", &[]).await), Refusal::ResendWait { secs } if secs > 0)
    );
    assert!(
        member
            .reply("reset_verify", &[("code", &code)])
            .await
            .is_done()
    );
    assert_eq!(
        refused(&member.reply("reset_verify", &[("code", &code)]).await),
        Refusal::Code(CodeRefusal::AlreadyUsed),
        "single use"
    );

    let weak = member
        .reply(
            "reset_finish",
            &[("password", "demotaro1"), ("password_confirm", "demotaro1")],
        )
        .await;
    assert!(!problems(&weak).is_empty());
    assert!(
        member
            .reply(
                "reset_finish",
                &[
                    ("password", "Sakura-Blossom-77"),
                    ("password_confirm", "Sakura-Blossom-77")
                ]
            )
            .await
            .is_done()
    );

    assert_eq!(
        phone.session_user().await,
        None,
        "every other session ended"
    );
    assert_eq!(
        refused(&member.sign_in("demotaro", TARO_PASSWORD).await),
        Refusal::BadCredentials { remaining: 2 }
    );
    assert!(
        member
            .sign_in("demotaro", "Sakura-Blossom-77")
            .await
            .is_done(),
        "unlocked with the new password"
    );
    let subjects: Vec<String> = server
        .outbox()
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_string())
        .collect();
    assert!(subjects[0].contains("パスワード変更"), "{subjects:?}");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'unlocked'")
            .await,
        1
    );

    let log = server.log_text();
    for secret in [
        TARO_PASSWORD,
        "Sakura-Blossom-77",
        "guess-123",
        code.as_str(),
        "371234567890005",
    ] {
        assert!(
            !log.contains(secret),
            "the server log must not contain {secret:?}"
        );
    }
}
on_both_databases!(
    reset_unlocks_ends_sessions_and_keeps_secrets_out_of_logs,
    reset_unlocks_ends_sessions_and_keeps_secrets_out_of_logs
);

async fn one_time_codes_refuse_after_five_wrong_entries(kind: Kind) {
    let db = TestDb::new(kind, "codes").await;
    let server = Server::start(&db).await;
    let member = server.browser();
    assert!(member.reply("reset_start", &TARO_CARD).await.is_done());
    let code = server.latest_code("taro.yamada@example.jp").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for remaining in [4, 3, 2, 1] {
        assert_eq!(
            refused(&member.reply("reset_verify", &[("code", wrong)]).await),
            Refusal::Code(CodeRefusal::Wrong { remaining })
        );
    }
    assert_eq!(
        refused(&member.reply("reset_verify", &[("code", wrong)]).await),
        Refusal::Code(CodeRefusal::TooManyAttempts)
    );
    assert_eq!(
        refused(&member.reply("reset_verify", &[("code", &code)]).await),
        Refusal::Code(CodeRefusal::TooManyAttempts)
    );
    assert_eq!(
        problems(&member.reply("reset_verify", &[("code", "12ab")]).await),
        vec![(Field::Code, Problem::OneTimeCodeFormat)]
    );
}
on_both_databases!(
    one_time_codes_refuse_after_five_wrong_entries,
    one_time_codes_refuse_after_five_wrong_entries
);

async fn a_forgotten_user_id_is_shown_and_notified(kind: Kind) {
    let db = TestDb::new(kind, "forgot_id").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    let found = browser.reply("recover_user_id", &TARO_CARD).await;
    assert_eq!(
        found,
        Reply::Done(serde_json::json!({ "user_id": "demotaro" }))
    );
    let mail = &server.outbox().await[0];
    assert_eq!(mail["to"], "taro.yamada@example.jp");
    assert!(mail["sent_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        refused(&browser.reply("recover_user_id", &KEN_CARD).await),
        Refusal::NotRegistered
    );
    assert_eq!(
        refused(&browser.reply("reset_start", &KEN_CARD).await),
        Refusal::NotRegistered
    );
}
on_both_databases!(
    a_forgotten_user_id_is_shown_and_notified,
    a_forgotten_user_id_is_shown_and_notified
);

async fn home_figures_come_from_the_database(kind: Kind) {
    let db = TestDb::new(kind, "home").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    assert!(browser.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let home: Value = browser.call("home", &[]).await;
    let digits: Vec<&str> = home["accounts"][0]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["last_digits"].as_str().unwrap())
        .collect();
    assert_eq!(
        digits,
        vec!["90005", "90013"],
        "Taro's card, then Hanako's family card"
    );
    assert_eq!(home["accounts"][0]["cards"][1]["family"], true);
    assert_eq!(home["accounts"][0]["cards"][1]["holder_ja"], "山田 花子");

    let today = home["today"].as_str().unwrap().to_string();
    let month_start = format!("{}-01", &today[..7]);
    let pool = db.pool().await;
    let (expected,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_yen), 0) AS BIGINT) FROM transactions WHERE account_id = 1 AND used_on >= $1 AND used_on <= $2",
    )
    .bind(&month_start)
    .bind(&today)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(home["accounts"][0]["month_spending_yen"], expected);
    let (points,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(delta) AS BIGINT) FROM points_ledger WHERE account_id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(home["accounts"][0]["points"], points);
    assert!(points > 15_000, "welcome points plus a year of spending");
    let next = &home["accounts"][0]["next_statement"];
    assert!(next["payment_date"].as_str().unwrap() >= today.as_str());
    if next["is_final"] == true {
        let (amount,): (i64,) = sqlx::query_as(
            "SELECT amount_yen FROM statements WHERE account_id = 1 AND closing_date = $1",
        )
        .bind(next["closing_date"].as_str().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(next["amount_yen"], amount);
    }
    let (months,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT substr(used_on, 1, 7)) FROM transactions WHERE account_id = 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(months >= 13, "13 months of history, got {months}");
    let (foreign, pending): (i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(CASE WHEN foreign_currency IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS BIGINT) FROM transactions",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        foreign > 0 && pending > 0,
        "some foreign ({foreign}) and pending ({pending}) lines"
    );
    pool.close().await;
}
on_both_databases!(
    home_figures_come_from_the_database,
    home_figures_come_from_the_database
);

#[tokio::test]
async fn cross_site_calls_are_refused() {
    let db = TestDb::new(Kind::Sqlite, "csrf").await;
    let server = Server::start(&db).await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/sign_in", server.base))
        .header("Origin", "https://evil.example")
        .form(&[("user_id", "demotaro"), ("password", TARO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_client_address() {
    let db = TestDb::new(Kind::Sqlite, "rate").await;
    let server = Server::start_with(&db, &[("PORTAL_RATE_SIGN_IN_PER_MIN", "3")]).await;
    let browser = server.browser();
    for user in ["a1234", "b1234", "c1234"] {
        assert!(matches!(
            refused(&browser.sign_in(user, "x").await),
            Refusal::BadCredentials { .. }
        ));
    }
    assert!(
        matches!(refused(&browser.sign_in("d1234", "x").await), Refusal::RateLimited { retry_after_secs } if retry_after_secs > 0)
    );
}

#[tokio::test]
async fn plain_html_forms_work_without_the_wasm() {
    let db = TestDb::new(Kind::Sqlite, "nojs").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    let post = |form: Vec<(&'static str, &'static str)>| {
        let browser = browser.clone();
        async move {
            browser
                .http
                .post(format!("{}/api/sign_in", browser.base))
                .header("Origin", &browser.base)
                .header("Accept", "text/html")
                .header("Referer", format!("{}/", browser.base))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = post(vec![("user_id", "demotaro"), ("password", "nope")]).await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/?reply=") && location.ends_with("&user_id=demotaro"),
        "{location}"
    );
    let page = browser.get(&location).await.text().await.unwrap();
    assert!(
        page.contains("ユーザーIDまたはパスワードが正しくありません"),
        "the refusal is shown on the page"
    );
    assert!(page.contains("value=\"demotaro\""), "the typed ID is kept");

    let res = post(vec![("user_id", "demotaro"), ("password", TARO_PASSWORD)]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/home");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = browser.get("/home").await.text().await.unwrap();
    assert!(
        home.contains("90005"),
        "the home page renders on the server"
    );
}

#[tokio::test]
async fn pages_carry_standard_autocomplete_tokens() {
    let db = TestDb::new(Kind::Sqlite, "pages").await;
    let server = Server::start(&db).await;
    let browser = server.browser();
    let sign_in = browser.get("/").await.text().await.unwrap();
    for token in [
        "autocomplete=\"username webauthn\"",
        "autocomplete=\"current-password\"",
        "ログアウト",
        "lang=\"ja\"",
    ] {
        if token == "ログアウト" {
            assert!(
                !sign_in.contains(token),
                "no sign-out control before sign-in"
            );
        } else {
            assert!(sign_in.contains(token), "{token}");
        }
    }
    let register = browser.get("/register").await.text().await.unwrap();
    for token in [
        "autocomplete=\"cc-number\"",
        "autocomplete=\"cc-csc\"",
        "autocomplete=\"bday\"",
        "type=\"date\"",
    ] {
        assert!(register.contains(token), "{token}");
    }
    let code = browser
        .get("/recover/password/code")
        .await
        .text()
        .await
        .unwrap();
    assert!(code.contains("autocomplete=\"one-time-code\""));
    let english = browser
        .http
        .get(format!("{}/", server.base))
        .header("Cookie", "portal_lang=en")
        .send()
        .await
        .unwrap();
    let english = english.text().await.unwrap();
    assert!(english.contains("lang=\"en\"") && english.contains("Sign in"));
    assert!(browser.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let home = browser.get("/home").await.text().await.unwrap();
    assert!(
        home.contains("ログアウト"),
        "a visible sign-out control once signed in"
    );
}

#[tokio::test]
async fn the_outbox_exists_only_in_demo_mode() {
    let db = TestDb::new(Kind::Sqlite, "prod").await;
    let server = Server::start_with(
        &db,
        &[
            ("PORTAL_DEMO", "0"),
            ("PORTAL_SMTP_URL", "smtp://127.0.0.1:1"),
        ],
    )
    .await;
    let browser = server.browser();
    assert_eq!(browser.get("/dev/outbox.json").await.status(), 404);
    assert_eq!(browser.get("/dev/outbox").await.status(), 404);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM members").await,
        0,
        "no demo data outside demo mode"
    );
}

#[tokio::test]
async fn pages_carry_a_script_policy_and_are_never_compressed() {
    let db = TestDb::new(Kind::Sqlite, "headers").await;
    let server = Server::start(&db).await;
    let page = |path: &'static str| {
        reqwest::Client::new()
            .get(format!("{}{path}", server.base))
            .header("Accept-Encoding", "br, gzip")
            .send()
    };
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let res = page("/").await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers().get("content-encoding").is_none(),
            "a page is never compressed"
        );
        let policy = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("'unsafe-inline' 'unsafe-eval'"));
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("the policy names the page's nonce")
            .to_string();
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries it"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for every page");

    let outbox = page("/dev/outbox").await.unwrap();
    let policy = outbox.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        !policy.contains("nonce"),
        "no inline script runs outside the app's pages: {policy}"
    );
}
