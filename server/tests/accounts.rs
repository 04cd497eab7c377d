//! Several accounts under one user ID (R1) over real HTTP on SQLite and PostgreSQL: a member sees
//! the account she registered with; she adds a card of another account she holds with its number,
//! front code and her date of birth, under the card's identity-check lock; someone else's card is
//! refused even with its right details; a card is added once, audited and mailed. Activity,
//! payments and points then switch between her accounts by the account's id, and an id that is
//! not hers (another member's, a family card's for what only the holder sees) shows nothing.

mod common;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, refused, register};
use portal_domain::api::{Refusal, Reply};
use serde_json::{Value, json};

const MISAKI_PASSWORD: &str = "Umeda-Tower-1203";

async fn card_numbers(browser: &Browser) -> Vec<String> {
    match browser.reply("cards", &[]).await {
        Reply::Done(cards) => cards
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["last_digits"].as_str().unwrap().to_string())
            .collect(),
        other => panic!("expected the cards, got {other:?}"),
    }
}

async fn register_misaki(browser: &Browser) {
    let card = card("371234567890039", "2468", "1978-02-28");
    register(browser, card, "misaki78", MISAKI_PASSWORD).await;
}

fn card(
    number: &'static str,
    front: &'static str,
    birth: &'static str,
) -> [(&'static str, &'static str); 3] {
    [
        ("card_number", number),
        ("front_code", front),
        ("birth_date", birth),
    ]
}

async fn adds_a_second_account(kind: Kind) {
    let db = TestDb::new(kind, "accounts").await;
    let server = Server::start(&db).await;
    let misaki = server.browser();
    register_misaki(&misaki).await;
    // The Gold account is hers, but not in the portal until she adds it.
    assert_eq!(card_numbers(&misaki).await, vec!["90039"]);

    // Another member's card, with every detail right, adds nothing.
    let taro_card = card("371234567890005", "1234", "1985-04-12");
    assert_eq!(
        refused(&misaki.reply("card_add", &taro_card).await),
        Refusal::CardNotMatched
    );
    // A wrong front code is refused and counts towards the card's lock.
    let wrong = card("371234567890062", "0000", "1978-02-28");
    assert_eq!(
        refused(&misaki.reply("card_add", &wrong).await),
        Refusal::CardNotMatched
    );
    assert_eq!(card_numbers(&misaki).await, vec!["90039"]);

    let gold = card("371234567890062", "8642", "1978-02-28");
    assert!(misaki.reply("card_add", &gold).await.is_done());
    assert_eq!(card_numbers(&misaki).await, vec!["90039", "90062"]);
    assert_eq!(
        refused(&misaki.reply("card_add", &gold).await),
        Refusal::CardAlreadyAdded
    );
    let mails = server
        .outbox()
        .await
        .iter()
        .filter(|m| {
            m["to"] == "misaki.suzuki@example.jp"
                && m["subject"].as_str().unwrap().contains("カード追加")
        })
        .count();
    assert_eq!(mails, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'card_add_refused'")
            .await,
        1
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'card_added'")
            .await,
        1
    );

    // Taro's portal is unchanged by all of this.
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    assert_eq!(card_numbers(&taro).await, vec!["90005", "90013"]);
    // Signed out, nothing is added.
    let stranger = server.browser();
    assert_eq!(
        refused(&stranger.reply("card_add", &gold).await),
        Refusal::SignedOut
    );
}
on_both_databases!(adds_a_second_account, adds_a_second_account);

/// The account ids of the member's cards, in the order `cards` lists them.
async fn account_ids(browser: &Browser) -> Vec<i64> {
    match browser.reply("cards", &[]).await {
        Reply::Done(cards) => cards
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["account_id"].as_i64().unwrap())
            .collect(),
        other => panic!("expected the cards, got {other:?}"),
    }
}

async fn points_balance(browser: &Browser, account: &str) -> Reply<Value> {
    match browser.reply("points", &[("account", account)]).await {
        Reply::Done(view) => Reply::Done(view["balance"].clone()),
        other => other,
    }
}

async fn activity_cards(browser: &Browser, account: &str) -> Vec<String> {
    let reply: Reply<Value> = browser
        .call_json(
            "activity_summary",
            json!({ "query": { "pairs": [["account", account]] } }),
        )
        .await;
    match reply {
        Reply::Done(summary) => summary["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["last_digits"].as_str().unwrap().to_string())
            .collect(),
        other => panic!("expected the summary, got {other:?}"),
    }
}

async fn switches_between_accounts(kind: Kind) {
    let db = TestDb::new(kind, "accounts_switch").await;
    let server = Server::start(&db).await;
    let misaki = server.browser();
    register_misaki(&misaki).await;
    let gold = card("371234567890062", "8642", "1978-02-28");
    assert!(misaki.reply("card_add", &gold).await.is_done());
    let ids = account_ids(&misaki).await;
    let (platinum, gold) = (ids[0].to_string(), ids[1].to_string());
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let taros = account_ids(&taro).await[0].to_string();

    // Home lists both accounts, the one she registered with first.
    let home: Value = misaki.call("home", &[]).await;
    let on_home: Vec<i64> = home["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_i64().unwrap())
        .collect();
    assert_eq!(on_home, ids);

    // Activity, payments and points follow the account in the URL.
    assert_eq!(activity_cards(&misaki, &platinum).await, vec!["90039"]);
    assert_eq!(activity_cards(&misaki, &gold).await, vec!["90062"]);
    assert_eq!(activity_cards(&misaki, "").await, vec!["90039"]);
    let (first, second) = (
        points_balance(&misaki, "").await,
        points_balance(&misaki, &gold).await,
    );
    assert_eq!(first, points_balance(&misaki, &platinum).await);
    assert_ne!(first, second, "each account has its own points");
    assert!(
        misaki
            .reply("payments", &[("account", &gold)])
            .await
            .is_done()
    );

    // Another member's account shows nothing, from any page, whatever the URL says.
    assert!(activity_cards(&misaki, &taros).await.is_empty());
    for endpoint in ["points", "payments"] {
        assert_eq!(
            refused(&misaki.reply(endpoint, &[("account", &taros)]).await),
            Refusal::HolderOnly,
            "{endpoint}"
        );
        assert_eq!(
            refused(&taro.reply(endpoint, &[("account", &gold)]).await),
            Refusal::HolderOnly,
            "{endpoint}"
        );
    }
    let csv = misaki
        .get(&format!("/activity.csv?account={taros}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1, "the header only: {csv}");
    // A statement of Taro's account: his to download, not hers.
    let summary: Reply<Value> = taro
        .call_json("activity_summary", json!({ "query": { "pairs": [] } }))
        .await;
    let Reply::Done(summary) = summary else {
        panic!("expected Taro's summary");
    };
    let closing = summary["periods"][1]["closing_date"].as_str().unwrap();
    let path = format!("/statement.pdf?period={closing}&account={taros}");
    assert_eq!(taro.get(&path).await.status(), 200);
    assert_eq!(misaki.get(&path).await.status(), 404);
    // Her spending check on the Gold account's card, named by the page's account.
    let answer = misaki
        .reply("spending_power", &[("amount", "1000"), ("account", &gold)])
        .await;
    assert!(answer.is_done(), "{answer:?}");
    assert_eq!(
        refused(
            &misaki
                .reply("spending_power", &[("amount", "1000"), ("card", "90005")])
                .await
        ),
        Refusal::CardNotFound
    );
}
on_both_databases!(switches_between_accounts, switches_between_accounts);
