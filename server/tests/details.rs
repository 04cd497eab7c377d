//! Registered details (C3) over real HTTP on SQLite and PostgreSQL: the postal code look-up from
//! Japan Post's data, every change behind a fresh confirmation, kept in a history that is never
//! overwritten (racing changes too), audited and mailed; a new e-mail address or mobile number only
//! after the code sent to it, with guessing and flooding bounded.

mod common;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, refused, register_hanako};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::details::DetailProblem;
use serde_json::Value;

const TARO: &str = "taro.yamada@example.jp";

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(v) => v,
        other => panic!("expected Done, got {other:?}"),
    }
}

fn invalid(reply: Reply<Value>) -> Vec<(Field, Problem)> {
    match reply {
        Reply::Invalid(problems) => problems,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn details(browser: &Browser) -> Value {
    done(browser.reply("details", &[]).await)
}

async fn change_address(browser: &Browser, fields: [&str; 5]) -> Reply<Value> {
    let names = [
        "postal_code",
        "prefecture",
        "city",
        "address_line1",
        "address_line2",
    ];
    let form: Vec<(&str, &str)> = names.into_iter().zip(fields).collect();
    browser.reply("details_address", &form).await
}

fn mails(outbox: &[Value], to: &str, subject: &str) -> usize {
    outbox
        .iter()
        .filter(|m| m["to"] == to && m["subject"].as_str().unwrap().contains(subject))
        .count()
}

/// The six digits of the newest SMS to `number`.
async fn latest_sms_code(server: &Server, number: &str) -> String {
    let sms = server
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == number && m["channel"] == "sms")
        .expect("an SMS to the new number");
    let body = sms["body"].as_str().unwrap();
    let at = body.find("確認コード ").unwrap() + "確認コード ".len();
    body[at..at + 6].to_string()
}

async fn address_and_phones(kind: Kind) {
    let db = TestDb::new(kind, "details").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let before = details(&taro).await;
    assert_eq!(before["name_kana"], "ヤマダ タロウ");
    assert_eq!(before["mobile_phone"], "090-1234-5678");
    assert_eq!(before["address"]["postal_code"], "1000001");
    assert_eq!(before["address"]["line1"], "千代田1-1");
    assert_eq!(before["history"], serde_json::json!([]));

    // The postal code fills prefecture, city and town, typed however a member types it.
    let found = done(
        taro.reply("postal_code", &[("postal_code", "〒１５０ー０００１")])
            .await,
    );
    assert_eq!(
        (&found["prefecture"], &found["city"], &found["town"]),
        (&"東京都".into(), &"渋谷区".into(), &"神宮前".into())
    );
    assert_eq!(
        done(
            taro.reply("postal_code", &[("postal_code", "999-9999")])
                .await
        ),
        Value::Null
    );
    assert_eq!(
        invalid(taro.reply("postal_code", &[("postal_code", "15")]).await),
        vec![(
            Field::PostalCode,
            Problem::Detail(DetailProblem::PostalCodeFormat)
        )]
    );

    // Bad input is named field by field and saves nothing.
    let problems = invalid(change_address(&taro, ["abc", "東京", "", "x", ""]).await);
    assert_eq!(
        problems,
        vec![
            (
                Field::PostalCode,
                Problem::Detail(DetailProblem::PostalCodeFormat)
            ),
            (
                Field::Prefecture,
                Problem::Detail(DetailProblem::UnknownPrefecture)
            ),
            (Field::City, Problem::Required),
        ]
    );
    let long = "長".repeat(81);
    assert_eq!(
        invalid(change_address(&taro, ["150-0001", "東京都", "渋谷区", &long, ""]).await),
        vec![(Field::AddressLine1, Problem::Detail(DetailProblem::TooLong))]
    );
    assert_eq!(
        invalid(change_address(&taro, ["150-0001", "大阪府", "渋谷区", "神宮前1", ""]).await),
        vec![(
            Field::Prefecture,
            Problem::Detail(DetailProblem::NotThisPostalCode)
        )]
    );
    assert_eq!(details(&taro).await["address"], before["address"]);

    // A real move: kept in the history with the old and new address, audited, mailed.
    assert!(
        change_address(
            &taro,
            [
                "１５０－０００１",
                "東京都",
                "渋谷区",
                "神宮前２－３－４",
                "ｻｸﾗ館 201"
            ]
        )
        .await
        .is_done()
    );
    let after = details(&taro).await;
    assert_eq!(after["address"]["line1"], "神宮前2-3-4");
    assert_eq!(after["address"]["line2"], "サクラ館 201");
    assert_eq!(after["history"][0]["item"], "Address");
    assert_eq!(
        after["history"][0]["old_value"],
        "〒100-0001 東京都千代田区千代田1-1"
    );
    assert_eq!(
        after["history"][0]["new_value"],
        "〒150-0001 東京都渋谷区神宮前2-3-4 サクラ館 201"
    );
    assert_eq!(
        mails(&server.outbox().await, TARO, "登録情報変更のお知らせ"),
        1
    );
    // The same again changes nothing and records nothing.
    assert!(
        change_address(
            &taro,
            [
                "150-0001",
                "東京都",
                "渋谷区",
                "神宮前2-3-4",
                "サクラ館 201"
            ]
        )
        .await
        .is_done()
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM detail_changes").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'details_changed'")
            .await,
        1
    );

    // Two changes racing: each history row starts where the other left off.
    let racers: Vec<_> = ["神宮前5-5-5", "神宮前6-6-6"]
        .into_iter()
        .map(|line1| {
            let taro = taro.clone();
            tokio::spawn(async move {
                change_address(&taro, ["150-0001", "東京都", "渋谷区", line1, ""]).await
            })
        })
        .collect();
    for racer in racers {
        assert!(racer.await.unwrap().is_done());
    }
    let history = details(&taro).await["history"].clone();
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0]["old_value"], history[1]["new_value"]);
    assert_eq!(history[1]["old_value"], history[2]["new_value"]);

    // Once the confirmation is stale, nothing changes until it is given again.
    server.advance_clock(6 * 60).await;
    let phones = [
        ("home_phone", "０３１２３４５６７８"),
        ("employer_name", "株式会社サンプル商事"),
        ("employer_phone", ""),
    ];
    assert_eq!(
        refused(&taro.reply("details_phones", &phones).await),
        Refusal::ConfirmationNeeded
    );
    assert_eq!(details(&taro).await["home_phone"], "03-3211-0001");
    assert!(
        taro.reply(
            "confirm_password",
            &[("password", TARO_PASSWORD), ("back", "/details")]
        )
        .await
        .is_done()
    );
    assert!(taro.reply("details_phones", &phones).await.is_done());
    let after = details(&taro).await;
    assert_eq!(after["home_phone"], "03-1234-5678");
    assert_eq!(after["employer_phone"], "");
    assert_eq!(
        invalid(
            taro.reply("details_phones", &[("home_phone", "12-34")])
                .await
        ),
        vec![(
            Field::HomePhone,
            Problem::Detail(DetailProblem::PhoneFormat)
        )]
    );

    // Nobody else's details, and nothing without a session.
    let hanako = server.browser();
    register_hanako(&hanako).await;
    assert_eq!(details(&hanako).await["name_kana"], "ヤマダ ハナコ");
    assert_eq!(details(&hanako).await["history"], serde_json::json!([]));
    let stranger = server.browser();
    assert_eq!(
        refused(&stranger.reply("details", &[]).await),
        Refusal::SignedOut
    );
    assert_eq!(
        refused(&change_address(&stranger, ["150-0001", "東京都", "渋谷区", "x", ""]).await),
        Refusal::SignedOut
    );
    assert_eq!(
        refused(
            &stranger
                .reply("postal_code", &[("postal_code", "1500001")])
                .await
        ),
        Refusal::SignedOut
    );
}
on_both_databases!(address_and_phones, address_and_phones);

async fn new_email_and_mobile(kind: Kind) {
    let db = TestDb::new(kind, "details_contact").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let new = "taro.new@example.jp";

    assert_eq!(
        invalid(
            taro.reply("details_email_start", &[("email", "taro@")])
                .await
        ),
        vec![(Field::Email, Problem::Detail(DetailProblem::EmailFormat))]
    );
    assert_eq!(
        invalid(
            taro.reply(
                "details_email_start",
                &[("email", "Taro.Yamada@Example.JP")]
            )
            .await
        ),
        vec![(Field::Email, Problem::Detail(DetailProblem::Unchanged))]
    );

    // The code goes to the new address; the registered one stays until it is entered.
    let sent = done(taro.reply("details_email_start", &[("email", new)]).await);
    assert_eq!(sent["email_hint"], "ta***@example.jp");
    let code = server.latest_code(new).await;
    let view = details(&taro).await;
    assert_eq!(view["email"], TARO);
    assert_eq!(view["pending_email"], new);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert!(matches!(
        refused(
            &taro
                .reply("details_email_finish", &[("email_code", wrong)])
                .await
        ),
        Refusal::Code(_)
    ));
    assert_eq!(details(&taro).await["email"], TARO);
    assert!(
        taro.reply("details_email_finish", &[("email_code", &code)])
            .await
            .is_done()
    );
    let view = details(&taro).await;
    assert_eq!(view["email"], new);
    assert_eq!(view["pending_email"], Value::Null);
    assert_eq!(view["history"][0]["item"], "Email");
    assert_eq!(view["history"][0]["old_value"], TARO);
    // The old address is told where mail goes now; the new one gets the notice.
    let outbox = server.outbox().await;
    assert_eq!(mails(&outbox, TARO, "メールアドレス変更のお知らせ"), 1);
    assert_eq!(mails(&outbox, new, "登録情報変更のお知らせ"), 1);
    // The code is spent.
    assert_eq!(
        refused(
            &taro
                .reply("details_email_finish", &[("email_code", &code)])
                .await
        ),
        Refusal::FlowExpired
    );

    // A mobile number by SMS, in the same outbox with its channel.
    assert_eq!(
        invalid(
            taro.reply("details_mobile_start", &[("mobile_phone", "03-1234-5678")])
                .await
        ),
        vec![(
            Field::MobilePhone,
            Problem::Detail(DetailProblem::MobileFormat)
        )]
    );
    let sent = done(
        taro.reply("details_mobile_start", &[("mobile_phone", "08011112222")])
            .await,
    );
    assert_eq!(sent["email_hint"], "***-2222");
    let code = latest_sms_code(&server, "080-1111-2222").await;
    assert!(
        taro.reply("details_mobile_finish", &[("mobile_code", &code)])
            .await
            .is_done()
    );
    assert_eq!(details(&taro).await["mobile_phone"], "080-1111-2222");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'details_changed'")
            .await,
        2
    );
}
on_both_databases!(new_email_and_mobile, new_email_and_mobile);

/// Guessing the code and flooding strangers' inboxes are both bounded.
async fn codes_cannot_be_guessed_or_flooded(kind: Kind) {
    let db = TestDb::new(kind, "details_attacks").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let target = "victim@example.com";
    assert!(
        taro.reply("details_email_start", &[("email", target)])
            .await
            .is_done()
    );
    let code = server.latest_code(target).await;
    // Twenty guesses at once compare at most five codes; the right one is then refused too.
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let taro = taro.clone();
            let guess = format!("{:06}", (code.parse::<u32>().unwrap() + 1 + i) % 1_000_000);
            tokio::spawn(async move {
                taro.reply("details_email_finish", &[("email_code", &guess)])
                    .await
            })
        })
        .collect();
    for guess in guesses {
        assert!(!guess.await.unwrap().is_done());
    }
    assert!(
        !taro
            .reply("details_email_finish", &[("email_code", &code)])
            .await
            .is_done()
    );
    assert_eq!(details(&taro).await["email"], TARO);

    // A resend to the same address waits its turn; new addresses are limited per day.
    assert!(matches!(
        refused(
            &taro
                .reply("details_email_start", &[("email", target)])
                .await
        ),
        Refusal::ResendWait { .. } | Refusal::TooManyResends
    ));
    let mut refused_at = None;
    for i in 0..12 {
        let address = format!("someone{i}@example.com");
        let reply = taro
            .reply("details_email_start", &[("email", &address)])
            .await;
        if !reply.is_done() {
            assert_eq!(refused(&reply), Refusal::TooManyResends);
            refused_at = Some(i);
            break;
        }
    }
    // The first address counted too: ten in all.
    assert_eq!(refused_at, Some(9));
}
on_both_databases!(
    codes_cannot_be_guessed_or_flooded,
    codes_cannot_be_guessed_or_flooded
);
