//! Files a signed-in member downloads: the CSV of any activity filter, streamed as it is read, and
//! the PDF of a closed statement.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use portal_backend::{Portal, SESSION_COOKIE, SessionUser, cookie_value};
use portal_domain::activity::ActivityFilter;

async fn member(portal: &Portal, headers: &HeaderMap) -> Option<SessionUser> {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let token = cookie_value(cookies, SESSION_COOKIE)?;
    match portal.session_user(&token).await {
        Ok(user) => user,
        Err(e) => {
            tracing::error!(error = %e, "session not readable");
            None
        }
    }
}

pub async fn activity_csv(
    axum::Extension(portal): axum::Extension<Arc<Portal>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let Some(user) = member(&portal, &headers).await else {
        return Redirect::to("/?expired=1").into_response();
    };
    let Ok(filter) =
        ActivityFilter::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    else {
        return (
            StatusCode::BAD_REQUEST,
            "絞り込み条件を読み取れませんでした。/ The filter could not be read.",
        )
            .into_response();
    };
    let file = format!("attachment; filename=\"{}.csv\"", filter.file_stem());
    match portal.activity_csv(&user, &filter).await {
        Ok(stream) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, file),
            ],
            Body::from_stream(stream),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "activity CSV failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct StatementQuery {
    period: String,
    /// Which of the member's accounts (R1); the first shown when absent or not a number.
    #[serde(default)]
    account: String,
}

pub async fn statement_pdf(
    axum::Extension(portal): axum::Extension<Arc<Portal>>,
    headers: HeaderMap,
    Query(query): Query<StatementQuery>,
) -> Response {
    let Some(user) = member(&portal, &headers).await else {
        return Redirect::to("/?expired=1").into_response();
    };
    if let Err(wait) = portal.statement_pdf_allowed(&user) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            format!(
                "短時間に明細書のダウンロードが集中しています。{wait}秒ほど待ってからもう一度お試しください。/ Too many statement downloads in a short time. Wait about {wait} seconds and try again."
            ),
        )
            .into_response();
    }
    match portal.statement_pdf(&user, query.account.parse().ok(), &query.period).await {
        Ok(Some(pdf)) => {
            let file = format!(
                "attachment; filename=\"statement-{}.pdf\"",
                query.period.replace(|c: char| !c.is_ascii_digit() && c != '-', "")
            );
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (header::CONTENT_DISPOSITION, file),
                ],
                pdf,
            )
                .into_response()
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "この締め日のご利用代金明細書はありません。/ There is no statement for this closing date.",
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "statement PDF failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
