//! Freezing a card (C7) over real HTTP on SQLite and PostgreSQL: at once and only once however many
//! presses race, for the holder's own card or (by the main member) a family card, never another
//! member's; unfreezing only after a fresh confirmation; spending power says no for a frozen card;
//! every change audited and mailed.

mod common;

use common::{Browser, Kind, Server, TARO_PASSWORD, TestDb, refused, register_hanako};
use portal_domain::api::{Refusal, Reply};
use serde_json::Value;

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(v) => v,
        other => panic!("expected Done, got {other:?}"),
    }
}

async fn frozen(browser: &Browser) -> Vec<(String, bool)> {
    done(browser.reply("cards", &[]).await)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["last_digits"].as_str().unwrap().to_string(),
                c["frozen"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn mails_about(server: &Server, to: &str, subject: &str) -> usize {
    server
        .outbox()
        .await
        .iter()
        .filter(|m| m["to"] == to && m["subject"].as_str().unwrap().contains(subject))
        .count()
}

async fn spending(browser: &Browser, card: &str) -> Value {
    done(
        browser
            .reply("spending_power", &[("amount", "1000"), ("card", card)])
            .await,
    )
}

async fn freeze_and_unfreeze(kind: Kind) {
    let db = TestDb::new(kind, "cards").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    assert_eq!(
        frozen(&taro).await,
        vec![("90005".to_string(), false), ("90013".to_string(), false)]
    );

    // His wife's card, at once, with no confirmation step; a second press changes nothing.
    assert!(
        taro.reply("card_freeze", &[("card", "90013")])
            .await
            .is_done()
    );
    assert!(
        taro.reply("card_freeze", &[("card", "90013")])
            .await
            .is_done()
    );
    assert_eq!(
        frozen(&taro).await,
        vec![("90005".to_string(), false), ("90013".to_string(), true)]
    );
    assert_eq!(
        mails_about(&server, "hanako.yamada@example.jp", "一時停止のお知らせ").await,
        1
    );
    assert_eq!(
        mails_about(&server, "taro.yamada@example.jp", "一時停止のお知らせ").await,
        1
    );
    let home: Value = taro.call("home", &[]).await;
    assert_eq!(home["accounts"][0]["cards"][1]["frozen"], true);
    assert_eq!(spending(&taro, "90013").await["approved"], false);
    assert_eq!(spending(&taro, "90013").await["frozen"], true);

    // Twenty presses at once on his own card: frozen once, audited once.
    let presses: Vec<_> = (0..20)
        .map(|_| {
            let taro = taro.clone();
            tokio::spawn(async move { taro.reply("card_freeze", &[("card", "90005")]).await })
        })
        .collect();
    for press in presses {
        let reply = press.await.unwrap();
        assert!(reply.is_done(), "{reply:?}");
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'card_frozen'")
            .await,
        2
    );
    // Spending power asks about his own card when none is named.
    let own = done(taro.reply("spending_power", &[("amount", "1000")]).await);
    assert_eq!(
        (own["approved"].clone(), own["frozen"].clone()),
        (false.into(), true.into())
    );

    // Unfreezing needs a fresh confirmation.
    server.advance_clock(6 * 60).await;
    assert_eq!(
        refused(&taro.reply("card_unfreeze", &[("card", "90005")]).await),
        Refusal::ConfirmationNeeded
    );
    assert_eq!(frozen(&taro).await[0], ("90005".to_string(), true));
    assert!(
        taro.reply("confirm_password", &[("password", TARO_PASSWORD)])
            .await
            .is_done()
    );
    assert!(
        taro.reply("card_unfreeze", &[("card", "90005")])
            .await
            .is_done()
    );
    assert_eq!(frozen(&taro).await[0], ("90005".to_string(), false));
    assert_eq!(spending(&taro, "90005").await["frozen"], false);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'card_unfrozen'")
            .await,
        1
    );

    // No card outside his account, and nothing for a browser that is not signed in.
    assert_eq!(
        refused(&taro.reply("card_freeze", &[("card", "90021")]).await),
        Refusal::CardNotFound
    );
    assert_eq!(
        refused(
            &taro
                .reply("spending_power", &[("amount", "1000"), ("card", "90021")])
                .await
        ),
        Refusal::CardNotFound
    );
    let stranger = server.browser();
    assert_eq!(
        refused(&stranger.reply("card_freeze", &[("card", "90013")]).await),
        Refusal::SignedOut
    );
}
on_both_databases!(freeze_and_unfreeze, freeze_and_unfreeze);

/// A family member manages her own card only.
async fn a_family_member_freezes_her_own_card_only(kind: Kind) {
    let db = TestDb::new(kind, "cards_family").await;
    let server = Server::start(&db).await;
    let hanako = server.browser();
    register_hanako(&hanako).await;
    assert_eq!(frozen(&hanako).await, vec![("90013".to_string(), false)]);
    assert_eq!(
        refused(&hanako.reply("card_freeze", &[("card", "90005")]).await),
        Refusal::CardNotFound
    );
    assert!(
        hanako
            .reply("card_freeze", &[("card", "90013")])
            .await
            .is_done()
    );
    assert_eq!(frozen(&hanako).await, vec![("90013".to_string(), true)]);

    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    assert_eq!(frozen(&taro).await[1], ("90013".to_string(), true));
    assert!(
        taro.reply("card_unfreeze", &[("card", "90013")])
            .await
            .is_done()
    );
    assert_eq!(frozen(&hanako).await, vec![("90013".to_string(), false)]);
}
on_both_databases!(
    a_family_member_freezes_her_own_card_only,
    a_family_member_freezes_her_own_card_only
);
