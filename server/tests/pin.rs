//! IC card PIN (C8) over real HTTP on SQLite and PostgreSQL: the card's codes under its identity
//! lock, a one-time code, trivial PINs refused, registered once however registrations race, sealed
//! (not in clear) in the database, shown again only after the same checks, never to a stranger.

mod common;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, refused, register_hanako};
use portal_domain::api::{Field, Problem, Refusal, Reply};
use portal_domain::pin::PinProblem;
use serde_json::Value;

const TARO: &str = "taro.yamada@example.jp";

fn start_form<'a>(card: &'a str, front: &'a str, back: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("card", card),
        ("front_code", front),
        ("back_code", back),
        ("channel", "email"),
    ]
}

async fn registered(browser: &Browser) -> Vec<(String, bool)> {
    let Reply::Done(view) = browser.reply("pin", &[]).await else {
        panic!("the PIN page");
    };
    view["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["card"]["last_digits"].as_str().unwrap().to_string(),
                c["registered"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Codes and one-time code for Taro's own card, up to the PIN step.
async fn verified(server: &Server, taro: &Browser) {
    assert!(
        taro.reply("pin_start", &start_form("90005", "1234", "567"))
            .await
            .is_done()
    );
    let code = server.latest_code(TARO).await;
    assert!(taro.reply("pin_code", &[("code", &code)]).await.is_done());
}

async fn register_once(kind: Kind) {
    let db = TestDb::new(kind, "pin").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    assert_eq!(
        registered(&taro).await,
        vec![("90005".to_string(), false), ("90013".to_string(), false)]
    );

    // Wrong codes count towards the card's identity-check lock.
    assert_eq!(
        refused(
            &taro
                .reply("pin_start", &start_form("90005", "1234", "000"))
                .await
        ),
        Refusal::CardCodesNotMatched
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM attempt_guards WHERE failures = 1")
            .await,
        1
    );
    let Reply::Invalid(problems) = taro
        .reply("pin_start", &start_form("90005", "12", ""))
        .await
    else {
        panic!("codes of the wrong length are named");
    };
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[1].0, Field::BackCode);
    // No PIN step without the one-time code.
    assert_eq!(
        refused(
            &taro
                .reply("pin_register", &[("pin", "2580"), ("pin_confirm", "2580")])
                .await
        ),
        Refusal::FlowExpired
    );

    verified(&server, &taro).await;
    for (pin, problem) in [
        ("1111", PinProblem::AllSame),
        ("1234", PinProblem::Run),
        ("0412", PinProblem::BirthDate),
        ("1985", PinProblem::BirthDate),
    ] {
        assert_eq!(
            taro.reply("pin_register", &[("pin", pin), ("pin_confirm", pin)])
                .await,
            Reply::Invalid(vec![(Field::Pin, Problem::Pin(problem))]),
            "{pin}"
        );
    }
    assert_eq!(
        taro.reply("pin_register", &[("pin", "2580"), ("pin_confirm", "2581")])
            .await,
        Reply::Invalid(vec![(
            Field::PinConfirm,
            Problem::Pin(PinProblem::Mismatch)
        )])
    );

    // Ten registrations at once: one PIN.
    let racers: Vec<_> = (0..10)
        .map(|i| {
            let taro = taro.clone();
            let pin = format!("{}", 2580 + i * 7);
            tokio::spawn(async move {
                taro.reply("pin_register", &[("pin", &pin), ("pin_confirm", &pin)])
                    .await
            })
        })
        .collect();
    let mut done = 0;
    for racer in racers {
        if racer.await.unwrap().is_done() {
            done += 1;
        }
    }
    assert_eq!(done, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM card_pins").await, 1);
    assert_eq!(
        registered(&taro).await,
        vec![("90005".to_string(), true), ("90013".to_string(), false)]
    );
    // Sealed, not stored as typed.
    let pool = db.pool().await;
    let (sealed,): (String,) = sqlx::query_as("SELECT pin_sealed FROM card_pins")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(sealed.len() > 40 && !sealed.contains("2580"));

    // Not again: the start is refused before any code is sent.
    assert_eq!(
        refused(
            &taro
                .reply("pin_start", &start_form("90005", "1234", "567"))
                .await
        ),
        Refusal::PinAlreadyRegistered
    );
    let outbox = server.outbox().await;
    assert!(
        outbox
            .iter()
            .any(|m| m["to"] == TARO && m["subject"].as_str().unwrap().contains("暗証番号"))
    );
    assert!(
        !outbox
            .iter()
            .any(|m| m["body"].as_str().unwrap().contains(&sealed[..8]))
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'pin_registered'")
            .await,
        1
    );
}
on_both_databases!(register_once, register_once);

async fn a_forgotten_pin_is_shown_after_the_checks(kind: Kind) {
    let db = TestDb::new(kind, "pin_reveal").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    // Nothing to show before a PIN exists.
    let mut reveal = start_form("90005", "1234", "567");
    reveal.push(("reveal", "1"));
    assert_eq!(
        refused(&taro.reply("pin_start", &reveal).await),
        Refusal::PinNotRegistered
    );
    verified(&server, &taro).await;
    assert!(
        taro.reply("pin_register", &[("pin", "2580"), ("pin_confirm", "2580")])
            .await
            .is_done()
    );

    // A wrong one-time code shows nothing; the right one shows it, once.
    assert!(taro.reply("pin_start", &reveal).await.is_done());
    let code = server.latest_code(TARO).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert!(matches!(
        refused(&taro.reply("pin_reveal", &[("code", wrong)]).await),
        Refusal::Code(_)
    ));
    assert_eq!(
        taro.reply("pin_reveal", &[("code", &code)]).await,
        Reply::Done(Value::from("2580"))
    );
    assert!(!taro.reply("pin_reveal", &[("code", &code)]).await.is_done());
    // Never by mail.
    assert!(
        !server
            .outbox()
            .await
            .iter()
            .any(|m| m["body"].as_str().unwrap().contains("2580"))
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'pin_revealed'")
            .await,
        1
    );

    // A family member sees only her own card, and never his PIN; a stranger nothing.
    let hanako = server.browser();
    register_hanako(&hanako).await;
    assert_eq!(
        registered(&hanako).await,
        vec![("90013".to_string(), false)]
    );
    let mut hers = start_form("90005", "1234", "567");
    hers.push(("reveal", "1"));
    assert_eq!(
        refused(&hanako.reply("pin_start", &hers).await),
        Refusal::CardNotFound
    );
    let stranger = server.browser();
    assert_eq!(
        refused(&stranger.reply("pin_reveal", &[("code", &code)]).await),
        Refusal::SignedOut
    );
}
on_both_databases!(
    a_forgotten_pin_is_shown_after_the_checks,
    a_forgotten_pin_is_shown_after_the_checks
);
