//! The portal's HTTP server: reads configuration, opens the store, and serves the Leptos app, its
//! server functions and, in demo mode, the mail outbox.

use std::net::SocketAddr;
use std::sync::Arc;

use leptos::config::get_configuration;
use portal_backend::Portal;
use portal_backend::config::Config;
use tracing_subscriber::EnvFilter;

mod downloads;
mod http;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    if let Err(message) = run().await {
        tracing::error!("{message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let leptos = get_configuration(None)
        .map_err(|e| format!("Leptos configuration: {e}"))?
        .leptos_options;
    let config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
    tracing::info!(?config, "starting");
    let portal = Arc::new(
        Portal::start(config)
            .await
            .map_err(|e| format!("start-up: {e}"))?,
    );
    spawn_session_purge(portal.clone());
    spawn_statement_closing(portal.clone());
    if portal.config.demo {
        spawn_demo_back_office(portal.clone());
    }
    let addr = leptos.site_addr;
    let app = http::router(leptos, portal);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server: {e}"))
}

fn spawn_session_purge(portal: Arc<Portal>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = portal.purge_expired().await {
                tracing::warn!(error = %e, "expired sessions and counters not purged");
            }
        }
    });
}

/// Statements become final the day after their closing day, and points expire on their day; the
/// portal checks every hour.
fn spawn_statement_closing(portal: Arc<Portal>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(e) = portal.close_due_statements().await {
                tracing::warn!(error = %e, "statements not closed");
            }
            if let Err(e) = portal.expire_points().await {
                tracing::warn!(error = %e, "points not expired");
            }
        }
    });
}

/// In demo mode the partner programs and the issuer's card production are played by the portal: it
/// answers each transfer and issues each family card after the configured delays.
fn spawn_demo_back_office(portal: Arc<Portal>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            every.tick().await;
            if let Err(e) = portal.answer_demo_transfers().await {
                tracing::warn!(error = %e, "demo transfers not answered");
            }
            if let Err(e) = portal.issue_demo_family_cards().await {
                tracing::warn!(error = %e, "demo family cards not issued");
            }
        }
    });
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
