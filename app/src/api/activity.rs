//! Card activity (D3): filtered pages, totals and notes.

use super::*;

/// The filter fields as the activity page's URL holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterQuery {
    pub pairs: Vec<(String, String)>,
}

impl FilterQuery {
    /// The value given for `key`, if one is.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

#[cfg(feature = "ssr")]
fn read_filter(
    query: &FilterQuery,
) -> Result<portal_domain::activity::ActivityFilter, portal_domain::activity::FilterProblem> {
    portal_domain::activity::ActivityFilter::from_query(
        query.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

#[server(endpoint = "activity_page", input = Json)]
pub async fn load_activity_page(
    query: FilterQuery,
    cursor: Option<String>,
) -> Result<Reply<ActivityPage>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .activity_page(&user, read_filter(&query), cursor.as_deref())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "activity_summary", input = Json)]
pub async fn load_activity_summary(query: FilterQuery) -> Result<Reply<ActivitySummary>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .activity_summary(&user, read_filter(&query))
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "line_note")]
pub async fn set_line_note(id: i64, category: String, memo: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .set_line_note(&user, id, &category, &memo)
        .await
        .map_err(ctx::internal)
}
