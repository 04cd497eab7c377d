//! Family card applications (C3) over real HTTP on SQLite and PostgreSQL: only the account's holder
//! applies, after a fresh confirmation, with every field checked; one application per person,
//! at most five per account however many race; in demo mode the card is issued after the delay,
//! joins the account, is "posted" to the outbox, and its holder registers with it.

mod common;

use common::{Kind, Server, TARO_PASSWORD, TestDb, refused, register, register_hanako};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::family::FamilyProblem;
use serde_json::Value;

const TARO_EMAIL: &str = "taro.yamada@example.jp";

fn application<'a>(name_kana: &'a str, birth_date: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("family_name_ja", "山田 一郎"),
        ("family_name_kana", name_kana),
        ("family_name_en", "ichiro yamada"),
        ("relationship", "child"),
        ("family_birth_date", birth_date),
        ("family_email", "ichiro.yamada@example.jp"),
    ]
}

fn problems(reply: &Reply<Value>) -> Vec<(Field, Problem)> {
    match reply {
        Reply::Invalid(problems) => problems.clone(),
        other => panic!("expected problems, got {other:?}"),
    }
}

async fn family_cards(kind: Kind) {
    let db = TestDb::new(kind, "family").await;
    let server = Server::start_with(&db, &[("PORTAL_DEMO_ISSUE_SECS", "60")]).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());

    // Every field is read, whatever is typed; nothing is stored for a bad form.
    let long = "A".repeat(10_000);
    let bad = [
        ("family_name_ja", "山田 一郎"),
        ("family_name_kana", "山田"),
        ("family_name_en", long.as_str()),
        ("relationship", "friend"),
        ("family_birth_date", "2015-04-01"),
        ("family_email", "ichiro.yamada@example.jp"),
    ];
    let found = problems(&taro.reply("family_apply", &bad).await);
    assert!(found.contains(&(Field::NameEn, Problem::Family(FamilyProblem::TooLong))));
    assert!(found.contains(&(Field::NameKana, Problem::Family(FamilyProblem::KanaOnly))));
    assert!(found.contains(&(Field::BirthDate, Problem::Family(FamilyProblem::TooYoung))));
    assert!(found.contains(&(
        Field::Relationship,
        Problem::Family(FamilyProblem::UnknownRelationship)
    )));
    let found = problems(&taro.reply("family_apply", &[]).await);
    assert!(found.contains(&(Field::NameJa, Problem::Required)));
    assert!(found.contains(&(Field::Email, Problem::Required)));
    assert_eq!(
        db.count("SELECT COUNT(*) FROM family_applications").await,
        0
    );

    // A right form still needs a fresh confirmation: the sign-in's lasts five minutes.
    server.advance_clock(6 * 60).await;
    let ichiro = application("やまだ いちろう", "2004-06-15");
    assert_eq!(
        refused(&taro.reply("family_apply", &ichiro).await),
        Refusal::ConfirmationNeeded
    );
    assert!(
        taro.reply("confirm_password", &[("password", TARO_PASSWORD)])
            .await
            .is_done()
    );
    let received = taro.reply("family_apply", &ichiro).await;
    let Reply::Done(received) = received else {
        panic!("expected the application, got {received:?}");
    };
    assert_eq!(
        received["name_kana"], "ヤマダ イチロウ",
        "hiragana becomes katakana"
    );
    assert_eq!(received["status"], "Received");
    // The same person, typed another way, is one application.
    assert_eq!(
        refused(
            &taro
                .reply("family_apply", &application("ﾔﾏﾀﾞ ｲﾁﾛｳ", "2004-06-15"))
                .await
        ),
        Refusal::AlreadyApplied
    );

    // Racing applications for different people stop at five per account.
    let kana: [&'static str; 7] = [
        "サブロウ",
        "シロウ",
        "ゴロウ",
        "ロクロウ",
        "シチロウ",
        "ハチロウ",
        "クロウ",
    ];
    let racing: Vec<_> = kana
        .into_iter()
        .map(|name| {
            let taro = taro.clone();
            tokio::spawn(async move {
                taro.reply("family_apply", &application(name, "2000-01-01"))
                    .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for answer in racing {
        answers.push(answer.await.unwrap());
    }
    let taken = answers.iter().filter(|a| a.is_done()).count();
    assert_eq!(taken, 4, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| !a.is_done())
            .all(|a| refused(a) == Refusal::TooManyApplications)
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM family_applications").await,
        5
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'family_card_applied'")
            .await,
        5
    );

    // Only the holder applies; a family member, or another account's id, gets nothing.
    let hanako = server.browser();
    register_hanako(&hanako).await;
    assert_eq!(
        refused(&hanako.reply("family_apply", &ichiro).await),
        Refusal::HolderOnly
    );
    assert_eq!(
        refused(&hanako.reply("family_applications", &[]).await),
        Refusal::HolderOnly
    );
    let mut elsewhere = ichiro.clone();
    elsewhere.push(("account", "3"));
    assert_eq!(
        refused(&taro.reply("family_apply", &elsewhere).await),
        Refusal::HolderOnly
    );

    // After the demo issuer's delay the card is issued, once, and posted.
    server.advance_clock(61).await;
    let mut issued = Value::Null;
    for _ in 0..50 {
        let list = match taro.reply("family_applications", &[]).await {
            Reply::Done(list) => list,
            other => panic!("expected the applications, got {other:?}"),
        };
        // The demo issuer works through them one by one: wait for all five.
        let list = list.as_array().unwrap();
        if list.iter().all(|a| a["status"] == "Issued")
            && let Some(a) = list.iter().find(|a| a["name_kana"] == "ヤマダ イチロウ")
        {
            issued = a.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let last = issued["last_digits"]
        .as_str()
        .expect("the card was issued")
        .to_string();
    // Each letter is posted after its card's notices: once all five are there, so is the mail.
    let mut outbox = server.outbox().await;
    for _ in 0..50 {
        if outbox.iter().filter(|m| m["channel"] == "post").count() >= 5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        outbox = server.outbox().await;
    }
    // Every application here is for a 山田 一郎: his letter is the one with his card's number.
    let field = |body: &str, label: &str| {
        body.lines()
            .find(|l| l.contains(label))
            .and_then(|l| l.rsplit(": ").next())
            .unwrap_or_default()
            .to_string()
    };
    let letter = outbox
        .iter()
        .filter(|m| m["channel"] == "post")
        .find(|m| {
            field(m["body"].as_str().unwrap(), "Card number")
                .replace(' ', "")
                .ends_with(&last)
        })
        .expect("the card is posted");
    assert!(letter["to"].as_str().unwrap().contains("東京都千代田区"));
    assert!(letter["to"].as_str().unwrap().contains("山田 一郎"));
    let body = letter["body"].as_str().unwrap();
    let number = field(body, "Card number").replace(' ', "");
    let front = field(body, "Front code");
    assert_eq!(
        outbox.iter().filter(|m| m["channel"] == "post").count(),
        5,
        "each card posted once"
    );
    let issued_mails = outbox
        .iter()
        .filter(|m| {
            m["to"] == TARO_EMAIL && m["subject"].as_str().unwrap().contains("家族カード発行")
        })
        .count();
    assert_eq!(issued_mails, 5);

    // The card is on the account; its holder registers with it and sees only her own.
    let on_account = match taro.reply("cards", &[]).await {
        Reply::Done(cards) => cards,
        other => panic!("expected the cards, got {other:?}"),
    };
    assert!(
        on_account
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["last_digits"] == last.as_str() && c["family"] == true)
    );
    let new_holder = server.browser();
    let card = [
        ("card_number", number.as_str()),
        ("front_code", front.as_str()),
        ("birth_date", "2004-06-15"),
    ];
    register(&new_holder, card, "ichiro04", "Kanda-river-2004").await;
    let home: Value = new_holder.call("home", &[]).await;
    assert_eq!(home["name_ja"], "山田 一郎");
    let own: Vec<&str> = home["accounts"][0]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["last_digits"].as_str().unwrap())
        .collect();
    assert_eq!(own, vec![last.as_str()]);
}
on_both_databases!(family_cards, family_cards);
