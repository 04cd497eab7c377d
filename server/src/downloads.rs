//! Files a signed-in member downloads: the CSV of any activity filter, streamed as it is read.

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
    match portal.activity_csv(&user, &filter).await {
        Ok(stream) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"activity.csv\"; filename*=UTF-8''%E3%81%94%E5%88%A9%E7%94%A8%E6%98%8E%E7%B4%B0.csv",
                ),
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
