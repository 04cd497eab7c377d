//! Passkey ceremonies over real HTTP against a real portal, answered by a software authenticator,
//! on SQLite and PostgreSQL.

mod common;

use common::authenticator::SoftPasskey;
use common::{Browser, Kind, Server, TARO_CARD, TARO_PASSWORD, TestDb, register_ken};
use portal_domain::api::{PasskeyRefusal, Refusal, Reply};
use portal_domain::passkey::CeremonyRefusal;
use serde_json::{Value, json};

const TARO: &str = "demotaro";

fn done(reply: Reply<Value>) -> Value {
    match reply {
        Reply::Done(value) => value,
        other => panic!("expected done, got {other:?}"),
    }
}

fn refusal(reply: Reply<Value>) -> Refusal {
    match reply {
        Reply::Refused(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn passkey_refusal(reply: Reply<Value>) -> PasskeyRefusal {
    match refusal(reply) {
        Refusal::Passkey(r) => r,
        other => panic!("expected a passkey refusal, got {other:?}"),
    }
}

/// A signed-in browser adds the authenticator's passkey under `name`.
async fn add_passkey(browser: &Browser, key: &mut SoftPasskey, name: &str) -> Reply<Value> {
    let challenge = done(browser.reply("passkey_register_start", &[]).await);
    let answer = key.register(&challenge["options"]);
    browser
        .call_json(
            "passkey_register_finish",
            json!({ "ceremony": challenge["ceremony"], "name": name, "credential": answer }),
        )
        .await
}

/// Starts a passkey sign-in; returns the ceremony and the options for the authenticator.
async fn passkey_challenge(browser: &Browser) -> (Value, Value) {
    let challenge = done(browser.reply("passkey_sign_in_start", &[]).await);
    (challenge["ceremony"].clone(), challenge["options"].clone())
}

async fn finish_sign_in(browser: &Browser, ceremony: &Value, answer: &Value) -> Reply<Value> {
    browser
        .call_json(
            "passkey_sign_in_finish",
            json!({ "ceremony": ceremony, "credential": answer }),
        )
        .await
}

async fn sign_in_with(server: &Server, key: &mut SoftPasskey) -> (Browser, Reply<Value>) {
    let browser = server.browser();
    let (ceremony, options) = passkey_challenge(&browser).await;
    let answer = key.sign_in(&options);
    let reply = finish_sign_in(&browser, &ceremony, &answer).await;
    (browser, reply)
}

async fn security(browser: &Browser) -> Value {
    let view: Option<Value> = browser.call("security", &[]).await;
    view.expect("signed in")
}

async fn audit_count(db: &TestDb, event: &str) -> i64 {
    db.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE event = '{event}'"
    ))
    .await
}

async fn a_passkey_signs_in_without_a_user_id(kind: Kind) {
    let db = TestDb::new(kind, "passkey").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let view = security(&taro).await;
    assert_eq!(view["passkeys"], json!([]));
    assert!(
        view["confirmation_left_secs"].as_i64().unwrap() > 0,
        "a password sign-in counts as a fresh confirmation"
    );

    let challenge = done(taro.reply("passkey_register_start", &[]).await);
    let selection = &challenge["options"]["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required");
    assert_eq!(selection["userVerification"], "required");

    let mut key = SoftPasskey::new(&server.passkey_origin());
    key.synced = true;
    assert!(
        add_passkey(&taro, &mut key, "  iPhone\t15 ")
            .await
            .is_done()
    );
    let view = security(&taro).await;
    let passkeys = view["passkeys"].as_array().unwrap();
    assert_eq!(passkeys.len(), 1);
    assert_eq!(passkeys[0]["name"], "iPhone 15");
    assert_eq!(passkeys[0]["synced"], true);
    assert_eq!(passkeys[0]["last_used_at"], Value::Null);
    assert!(
        server
            .outbox()
            .await
            .iter()
            .any(|m| m["to"] == "taro.yamada@example.jp"
                && m["subject"]
                    .as_str()
                    .unwrap()
                    .contains("A passkey was added")),
        "a notice goes to the registered address"
    );

    // The same authenticator cannot be registered twice: the browser is told to exclude it, and
    // the server refuses it anyway.
    let challenge = done(taro.reply("passkey_register_start", &[]).await);
    let excluded = challenge["options"]["publicKey"]["excludeCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(excluded.len(), 1);
    let again = key.register(&challenge["options"]);
    let reply = taro
        .call_json(
            "passkey_register_finish",
            json!({ "ceremony": challenge["ceremony"], "name": "again", "credential": again }),
        )
        .await;
    assert_eq!(passkey_refusal(reply), PasskeyRefusal::AlreadyRegistered);

    // Sign in from a new browser without typing anything.
    let phone = server.browser();
    let (ceremony, options) = passkey_challenge(&phone).await;
    assert_eq!(options["publicKey"]["allowCredentials"], json!([]));
    assert_eq!(options["publicKey"]["userVerification"], "required");
    let answer = key.sign_in(&options);
    let reply = finish_sign_in(&phone, &ceremony, &answer).await;
    assert_eq!(done(reply), json!({ "password_locked": false }));
    assert_eq!(phone.session_user().await.as_deref(), Some(TARO));
    let view = security(&phone).await;
    assert!(view["passkeys"][0]["last_used_at"].as_i64().is_some());
    assert_eq!(view["signed_in_with_passkey"], true);
    assert_eq!(
        view["confirmation_left_secs"], 0,
        "a passkey sign-in is not a confirmation"
    );

    // A passkey session may set a new password only to get out of a lock.
    let reply = phone
        .reply(
            "change_password",
            &[
                ("password", "Taken-Over-2026"),
                ("password_confirm", "Taken-Over-2026"),
            ],
        )
        .await;
    assert_eq!(refusal(reply), Refusal::ConfirmationNeeded);

    // The same answer again: the challenge was used up.
    let replayed = finish_sign_in(&server.browser(), &ceremony, &answer).await;
    assert_eq!(
        passkey_refusal(replayed),
        PasskeyRefusal::Ceremony(CeremonyRefusal::Unknown)
    );

    // A copy of the key, behind the original's counter.
    let stale = server.browser();
    let (ceremony, options) = passkey_challenge(&stale).await;
    key.counter -= 1;
    let reply = finish_sign_in(&stale, &ceremony, &key.assert(&options)).await;
    assert_eq!(passkey_refusal(reply), PasskeyRefusal::CounterRegressed);
    assert_eq!(stale.session_user().await, None);
    assert_eq!(audit_count(&db, "passkey_counter_regressed").await, 1);
    key.counter += 1;

    // Another member cannot touch Taro's passkey, whatever id they send.
    let ken = server.browser();
    register_ken(&ken, "KenSato90", "Green-Tea-2026").await;
    let id = view["passkeys"][0]["id"].as_i64().unwrap().to_string();
    let reply = ken.reply("passkey_remove", &[("id", &id)]).await;
    assert_eq!(passkey_refusal(reply), PasskeyRefusal::NotFound);
    let reply = ken
        .reply("passkey_rename", &[("id", &id), ("name", "mine")])
        .await;
    assert_eq!(passkey_refusal(reply), PasskeyRefusal::NotFound);

    // Renamed, then removed: it no longer signs in.
    let reply = taro
        .reply("passkey_rename", &[("id", &id), ("name", "仕事用 iPhone")])
        .await;
    assert!(reply.is_done(), "{reply:?}");
    assert_eq!(
        security(&taro).await["passkeys"][0]["name"],
        "仕事用 iPhone"
    );
    assert!(taro.reply("passkey_remove", &[("id", &id)]).await.is_done());
    assert_eq!(security(&taro).await["passkeys"], json!([]));
    let (after, reply) = sign_in_with(&server, &mut key).await;
    assert_eq!(passkey_refusal(reply), PasskeyRefusal::NotRecognised);
    assert_eq!(after.session_user().await, None);

    for event in [
        "passkey_registered",
        "passkey_renamed",
        "passkey_removed",
        "passkey_ceremony_refused",
        "passkey_sign_in_unknown",
    ] {
        assert!(audit_count(&db, event).await >= 1, "{event} is audited");
    }
    assert!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE event = 'sign_in' AND detail = 'passkey'")
            .await
            >= 1
    );
}
on_both_databases!(
    a_passkey_signs_in_without_a_user_id,
    a_passkey_signs_in_without_a_user_id
);

async fn an_unanswered_challenge_expires(kind: Kind) {
    let db = TestDb::new(kind, "passkey_expiry").await;
    let server = Server::start_with(&db, &[("PORTAL_PASSKEY_CEREMONY_SECS", "1")]).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let mut key = SoftPasskey::new(&server.passkey_origin());

    let challenge = done(taro.reply("passkey_register_start", &[]).await);
    let answer = key.register(&challenge["options"]);
    server.advance_clock(2).await;
    let reply = taro
        .call_json(
            "passkey_register_finish",
            json!({ "ceremony": challenge["ceremony"], "name": "late", "credential": answer.clone() }),
        )
        .await;
    assert_eq!(
        passkey_refusal(reply),
        PasskeyRefusal::Ceremony(CeremonyRefusal::Expired)
    );

    assert!(add_passkey(&taro, &mut key, "on time").await.is_done());
    let browser = server.browser();
    let (ceremony, options) = passkey_challenge(&browser).await;
    server.advance_clock(2).await;
    let reply = finish_sign_in(&browser, &ceremony, &key.sign_in(&options)).await;
    assert_eq!(
        passkey_refusal(reply),
        PasskeyRefusal::Ceremony(CeremonyRefusal::Expired)
    );
    assert_eq!(browser.session_user().await, None);

    // A sign-in ceremony cannot stand in for a registration one.
    let (ceremony, _) = passkey_challenge(&browser).await;
    let reply = taro
        .call_json(
            "passkey_register_finish",
            json!({ "ceremony": ceremony, "name": "swap", "credential": answer }),
        )
        .await;
    assert_eq!(
        passkey_refusal(reply),
        PasskeyRefusal::Ceremony(CeremonyRefusal::Mismatch)
    );
}
on_both_databases!(
    an_unanswered_challenge_expires,
    an_unanswered_challenge_expires
);

/// Answers the browser never sends (not WebAuthn JSON, or huge) are refused as rejected passkeys,
/// and the ceremony still takes the real answer afterwards.
async fn a_malformed_answer_is_refused(kind: Kind) {
    let db = TestDb::new(kind, "passkey_malformed").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let mut key = SoftPasskey::new(&server.passkey_origin());
    assert!(add_passkey(&taro, &mut key, "phone").await.is_done());

    let browser = server.browser();
    let (ceremony, options) = passkey_challenge(&browser).await;
    for junk in [
        json!({ "id": 5 }),
        json!("not a credential"),
        json!({ "id": "x", "rawId": "!!", "type": "public-key", "response": {} }),
        json!({ "id": "a".repeat(200_000) }),
    ] {
        let reply = finish_sign_in(&browser, &ceremony, &junk).await;
        assert_eq!(
            passkey_refusal(reply),
            PasskeyRefusal::Rejected,
            "{junk:.60}"
        );
    }
    assert_eq!(browser.session_user().await, None);
    assert!(
        finish_sign_in(&browser, &ceremony, &key.sign_in(&options))
            .await
            .is_done()
    );
}
on_both_databases!(a_malformed_answer_is_refused, a_malformed_answer_is_refused);

async fn a_passkey_gets_past_a_locked_password_but_not_a_hold(kind: Kind) {
    let db = TestDb::new(kind, "passkey_lock").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let mut key = SoftPasskey::new(&server.passkey_origin());
    assert!(add_passkey(&taro, &mut key, "phone").await.is_done());

    for _ in 0..3 {
        server.browser().sign_in(TARO, "wrong-password-1").await;
    }
    assert_eq!(
        refusal(server.browser().sign_in(TARO, TARO_PASSWORD).await),
        Refusal::Locked
    );

    let (phone, reply) = sign_in_with(&server, &mut key).await;
    assert_eq!(done(reply), json!({ "password_locked": true }));
    assert_eq!(security(&phone).await["password_locked"], true);
    // The passkey session alone never leaves the lock: it must prove the mailbox first.
    let new_password = [
        ("password", "Fresh-Start-2026"),
        ("password_confirm", "Fresh-Start-2026"),
    ];
    assert_eq!(
        refusal(phone.reply("change_password", &new_password).await),
        Refusal::ConfirmationNeeded
    );
    // Adding a passkey from a passkey session needs a confirmation; the locked password cannot
    // give one, a code by e-mail can.
    assert_eq!(
        refusal(phone.reply("passkey_register_start", &[]).await),
        Refusal::ConfirmationNeeded
    );
    assert_eq!(
        refusal(
            phone
                .reply("confirm_password", &[("password", TARO_PASSWORD)])
                .await
        ),
        Refusal::Locked
    );
    assert!(phone.reply("confirm_code_send", &[]).await.is_done());
    let code = server.latest_code("taro.yamada@example.jp").await;
    assert!(
        phone
            .reply("confirm_code", &[("code", &code)])
            .await
            .is_done()
    );
    assert!(
        security(&phone).await["confirmation_left_secs"]
            .as_i64()
            .unwrap()
            > 0
    );

    let reply = phone
        .reply(
            "change_password",
            &[
                ("password", "Fresh-Start-2026"),
                ("password_confirm", "Fresh-Start-2026"),
            ],
        )
        .await;
    assert!(reply.is_done(), "{reply:?}");
    assert_eq!(security(&phone).await["password_locked"], false);
    assert_eq!(taro.session_user().await, None, "other sessions ended");
    assert!(
        server
            .browser()
            .sign_in(TARO, "Fresh-Start-2026")
            .await
            .is_done()
    );

    // The issuer holds the account: nothing signs in, and open sessions end.
    let pool = db.pool().await;
    sqlx::query("UPDATE online_users SET held_at = 1 WHERE login_key = 'demotaro'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(phone.session_user().await, None);
    let (held, reply) = sign_in_with(&server, &mut key).await;
    assert_eq!(refusal(reply), Refusal::Held);
    assert_eq!(held.session_user().await, None);
    assert_eq!(
        refusal(server.browser().sign_in(TARO, "Fresh-Start-2026").await),
        Refusal::Held
    );
    assert_eq!(
        refusal(server.browser().sign_in(TARO, "not-the-password-9").await),
        Refusal::BadCredentials { remaining: 2 },
        "a hold is told only to whoever knows the password"
    );
    assert_eq!(audit_count(&db, "sign_in_refused_held").await, 2);
}
on_both_databases!(
    a_passkey_gets_past_a_locked_password_but_not_a_hold,
    a_passkey_gets_past_a_locked_password_but_not_a_hold
);

async fn passkey_ceremonies_are_rate_limited(kind: Kind) {
    let db = TestDb::new(kind, "passkey_rate").await;
    let server = Server::start_with(&db, &[("PORTAL_RATE_PASSKEY_PER_MIN", "3")]).await;
    let browser = server.browser();
    for _ in 0..3 {
        assert!(browser.reply("passkey_sign_in_start", &[]).await.is_done());
    }
    assert!(matches!(
        refusal(browser.reply("passkey_sign_in_start", &[]).await),
        Refusal::RateLimited { .. }
    ));
    assert_eq!(audit_count(&db, "passkey_rate_limited").await, 1);
}
on_both_databases!(
    passkey_ceremonies_are_rate_limited,
    passkey_ceremonies_are_rate_limited
);

async fn removing_a_passkey_signs_out_whoever_used_it(kind: Kind) {
    let db = TestDb::new(kind, "passkey_removed").await;
    let server = Server::start(&db).await;
    let taro = server.browser();
    assert!(taro.sign_in(TARO, TARO_PASSWORD).await.is_done());
    let mut key = SoftPasskey::new(&server.passkey_origin());
    assert!(add_passkey(&taro, &mut key, "stolen phone").await.is_done());
    let (thief, reply) = sign_in_with(&server, &mut key).await;
    assert!(reply.is_done());
    assert_eq!(thief.session_user().await.as_deref(), Some(TARO));

    // The member resets the password: the notice lists the passkeys, so an unknown one shows.
    let member = server.browser();
    assert!(member.reply("reset_start", &TARO_CARD).await.is_done());
    let code = server.latest_code("taro.yamada@example.jp").await;
    assert!(
        member
            .reply("reset_verify", &[("code", &code)])
            .await
            .is_done()
    );
    let new_password = "Fresh-Start-2026";
    let fields = [
        ("password", new_password),
        ("password_confirm", new_password),
    ];
    assert!(member.reply("reset_finish", &fields).await.is_done());
    let notice = server
        .outbox()
        .await
        .into_iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .contains("password was changed")
        })
        .expect("a notice of the new password");
    assert!(
        notice["body"].as_str().unwrap().contains("stolen phone"),
        "{notice}"
    );

    // It signs in, confirmed by the new password, and removes the passkey: the thief is out.
    let thief_again = sign_in_with(&server, &mut key).await.0;
    assert!(member.sign_in(TARO, new_password).await.is_done());
    let id = security(&member).await["passkeys"][0]["id"]
        .as_i64()
        .unwrap();
    let id = id.to_string();
    assert!(
        member
            .reply("passkey_remove", &[("id", id.as_str())])
            .await
            .is_done()
    );
    assert_eq!(thief_again.session_user().await, None);
    assert_eq!(member.session_user().await.as_deref(), Some(TARO));
}
on_both_databases!(
    removing_a_passkey_signs_out_whoever_used_it,
    removing_a_passkey_signs_out_whoever_used_it
);
