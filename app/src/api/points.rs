//! Membership Rewards points (P1–P4): balance, uses and partner links.

use super::*;

#[server(endpoint = "points")]
pub async fn load_points() -> Result<Reply<PointsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal.points(&user).await.map_err(ctx::internal)
}

/// `request_id` is made by the browser once per intended use, so a repeat is recognised.
#[server(endpoint = "points_use", input = Json)]
pub async fn use_points(
    request_id: String,
    request: UseRequest,
) -> Result<Reply<UseDone>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .use_points(&user, &request_id, &request)
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "partner_link")]
pub async fn link_partner(partner: String, number: String) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .link_partner(&user, &partner, &number)
        .await
        .map_err(ctx::internal)
}
