//! Membership Rewards points (P1–P4): balance, uses and partner links.

use super::*;

#[server(endpoint = "points")]
pub async fn load_points(
    #[server(default)] account: Option<i64>,
) -> Result<Reply<PointsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal.points(&user, account).await.map_err(ctx::internal)
}

/// `account` is the account's id as the form's hidden field has it (empty: the first held).
#[server(endpoint = "partner_link")]
pub async fn link_partner(
    partner: String,
    number: String,
    #[server(default)] account: String,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .link_partner(&user, account.parse().ok(), &partner, &number)
        .await
        .map_err(ctx::internal)
}

/// `request_id` is made by the browser once per intended use, so a repeat is recognised.
#[server(endpoint = "points_use", input = Json)]
pub async fn use_points(
    request_id: String,
    request: UseRequest,
    #[server(default)] account: Option<i64>,
) -> Result<Reply<UseDone>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .use_points(&user, account, &request_id, &request)
        .await
        .map_err(ctx::internal)
}
