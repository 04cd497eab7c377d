//! Payments (D2, D5): the schedule, plan changes and spending power.

use super::*;

#[server(endpoint = "payments")]
pub async fn load_payments(
    #[server(default)] account: Option<i64>,
) -> Result<Reply<PaymentsView>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal.payments(&user, account).await.map_err(ctx::internal)
}

/// Without `confirm`, shows what moving the charges would do; with it, does it, provided it is
/// still what was `seen`.
#[server(endpoint = "plan_change", input = Json)]
pub async fn change_plan(
    line_ids: Vec<i64>,
    choice: PlanChoice,
    confirm: bool,
    seen: Option<PlanSeen>,
    #[server(default)] account: Option<i64>,
) -> Result<Reply<PlanPreview>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .change_plan(&user, account, &line_ids, choice, confirm, seen.as_ref())
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "plan_undo")]
pub async fn undo_plan(
    plan_id: i64,
    #[server(default)] account: Option<i64>,
) -> Result<Reply<()>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .undo_plan(&user, account, plan_id)
        .await
        .map_err(ctx::internal)
}

#[server(endpoint = "spending_power")]
pub async fn check_spending_power(
    amount: String,
    #[server(default)] card: String,
    #[server(default)] account: String,
) -> Result<Reply<SpendingAnswer>, AppError> {
    let Some((portal, user)) = ctx::member().await? else {
        return ctx::signed_out();
    };
    portal
        .spending_power(&user, account.parse().ok(), &amount, &card, &ctx::client())
        .await
        .map_err(ctx::internal)
}
