//! Paperless statements (C5) over real HTTP on SQLite and PostgreSQL: only the account holder
//! switches, after a fresh confirmation, from the next statement on; a statement becoming final on
//! a paperless account is e-mailed to the holder once, and not on a paper one.

mod common;

use common::{Kind, Server, TARO_PASSWORD, TestDb, refused, register_hanako};
use portal_domain::api::{Refusal, Reply};
use serde_json::{Value, json};

const TARO: &str = "taro.yamada@example.jp";

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(v) => v,
        other => panic!("expected Done, got {other:?}"),
    }
}

fn mails(outbox: &[Value], to: &str, subject: &str) -> usize {
    outbox
        .iter()
        .filter(|m| m["to"] == to && m["subject"].as_str().unwrap().contains(subject))
        .count()
}

async fn paperless_statements(kind: Kind) {
    let db = TestDb::new(kind, "paperless").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in("demotaro", TARO_PASSWORD).await.is_done());
    let before = done(taro.reply("details", &[]).await)["paperless"][0].clone();
    assert_eq!(before["from"], Value::Null);
    let next = before["next_closing"].as_str().unwrap().to_string();

    assert!(
        taro.reply("details_paperless", &[("on", "1")])
            .await
            .is_done()
    );
    assert!(
        taro.reply("details_paperless", &[("on", "1")])
            .await
            .is_done()
    );
    let home: Value = taro.call("home", &[]).await;
    assert_eq!(home["accounts"][0]["paperless"]["from"], next.as_str());
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'paperless_on'")
            .await,
        1
    );
    assert_eq!(mails(&server.outbox().await, TARO, "送付方法変更"), 1);

    // Family members do not choose; a stale confirmation changes nothing.
    let hanako = server.browser();
    register_hanako(&hanako).await;
    assert_eq!(
        done(hanako.reply("details", &[]).await)["paperless"],
        json!([])
    );
    assert_eq!(
        refused(&hanako.reply("details_paperless", &[("on", "1")]).await),
        Refusal::HolderOnly
    );
    server.advance_clock(6 * 60).await;
    assert_eq!(
        refused(&taro.reply("details_paperless", &[]).await),
        Refusal::ConfirmationNeeded
    );
    assert!(
        taro.reply("confirm_password", &[("password", TARO_PASSWORD)])
            .await
            .is_done()
    );
    assert!(taro.reply("details_paperless", &[]).await.is_done());
    assert_eq!(
        done(taro.reply("details", &[]).await)["paperless"][0]["from"],
        Value::Null
    );

    // Paperless since long ago, and his latest statement not final yet: the next process to start
    // closes it and mails him, once; 鈴木 美咲, on paper, gets no such mail.
    let pool = db.pool().await;
    sqlx::query("UPDATE card_accounts SET paperless_from = '2000-01-01' WHERE primary_member_id = (SELECT member_id FROM online_users WHERE display_user_id = 'demotaro')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM statement_notices")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "DELETE FROM statements WHERE id IN (SELECT MAX(id) FROM statements GROUP BY account_id)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let second = Server::start(&db).await;
    let outbox = second.outbox().await;
    assert_eq!(mails(&outbox, TARO, "ご利用明細確定のお知らせ"), 1);
    assert_eq!(
        mails(
            &outbox,
            "misaki.suzuki@example.jp",
            "ご利用明細確定のお知らせ"
        ),
        0
    );
    let third = Server::start(&db).await;
    assert_eq!(
        mails(&third.outbox().await, TARO, "ご利用明細確定のお知らせ"),
        1
    );
}
on_both_databases!(paperless_statements, paperless_statements);
