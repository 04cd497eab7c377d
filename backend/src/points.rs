//! Membership Rewards (D9): balance, history and expiry; using points against the bill, for catalog
//! items, or by transfer to a partner whose member number is linked; the partner's answer; expiry.
//! The rules are `portal_domain::points`; the ledger and its balance are `store::points`.

use portal_domain::api::{
    Field, PartnerView, PointsLine, PointsView, Problem, Refusal, Reply, UseDone, UseKind,
    UseRequest, UseView,
};
use portal_domain::payments::first_open_payment;
use portal_domain::period::{iso_date, parse_iso_date, tokyo_date};
use portal_domain::points::{
    self, Lot, Partner, PartnerAnswer, PointsProblem, Ratio, TransferStatus, catalog_item,
};
use time::Date;

use crate::store::points::{NewUse, UseOutcome, UseRow};
use crate::{NOT_YOU_EN, NOT_YOU_JA, Portal, PortalResult, SessionUser};

/// Ledger rows and uses shown.
const HISTORY_ROWS: i64 = 50;

/// In demo mode the partner refuses member numbers ending like this, to show a failed transfer.
const DEMO_REFUSED_SUFFIX: &str = "00000";

impl Portal {
    fn ratio(&self, partner: Partner) -> Ratio {
        self.config
            .points
            .ratios
            .iter()
            .find(|(p, _)| *p == partner)
            .map_or(
                Ratio {
                    points: 1_000,
                    units: 1_000,
                },
                |(_, r)| *r,
            )
    }

    /// The payment date a bill credit made today goes to: the first whose cut-off has not passed.
    async fn credit_payment(&self, account_id: i64, today: Date) -> PortalResult<Date> {
        let Some(cycle) = self.db.account_cycle(account_id).await? else {
            return Ok(today);
        };
        let last_closed = cycle.previous(&cycle.period_containing(today));
        Ok(first_open_payment(
            &cycle,
            last_closed.payment,
            today,
            self.config.plans.cutoff_days,
        ))
    }

    /// Expiry from the lots (day earned, points) and the balance: everything earned and no longer
    /// in the balance was used, oldest first.
    fn expiry_of(&self, lots: &[(String, i64)], balance: i64, today: Date) -> points::Expiry {
        let lots: Vec<Lot> = lots
            .iter()
            .filter_map(|(day, points)| {
                Some(Lot {
                    earned_on: parse_iso_date(day)?,
                    points: *points,
                })
            })
            .collect();
        let used = lots.iter().map(|l| l.points).sum::<i64>() - balance;
        let settings = &self.config.points;
        points::expiry(
            &lots,
            used,
            today,
            settings.expiry_months,
            settings.warn_days,
        )
    }

    pub async fn points(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
    ) -> PortalResult<Reply<PointsView>> {
        let Some(account_id) = self.held_account(user, wanted).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let today = tokyo_date(self.now());
        let balance = self.db.points_balance(account_id).await?;
        let links = self.db.partner_links(account_id).await?;
        let partners = Partner::ALL
            .into_iter()
            .map(|partner| PartnerView {
                partner,
                number: links
                    .iter()
                    .find(|(code, _)| code == partner.code())
                    .map(|(_, number)| masked_number(number)),
                ratio: self.ratio(partner),
            })
            .collect();
        Ok(Reply::Done(PointsView {
            balance,
            expiring: self
                .expiry_of(&self.db.point_lots(account_id).await?, balance, today)
                .soon
                .into_iter()
                .map(|(date, points)| (iso_date(date), points))
                .collect(),
            expiry_months: self.config.points.expiry_months,
            history: self
                .db
                .points_history(account_id, HISTORY_ROWS)
                .await?
                .into_iter()
                .map(|r| PointsLine {
                    at: r.at,
                    delta: r.delta,
                    kind: r.kind,
                    reason: r.reason,
                })
                .collect(),
            partners,
            uses: self
                .db
                .point_uses(account_id, HISTORY_ROWS)
                .await?
                .into_iter()
                .filter_map(use_view)
                .collect(),
            bill: self.config.points.bill,
            credit_payment: iso_date(self.credit_payment(account_id, today).await?),
        }))
    }

    /// Uses points once per `request_id`: a repeated request (a double click, a retry) answers with
    /// the first use and takes nothing more.
    pub async fn use_points(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        request_id: &str,
        request: &UseRequest,
    ) -> PortalResult<Reply<UseDone>> {
        if request_id.len() < 8
            || request_id.len() > 64
            || !request_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Ok(Reply::Invalid(vec![(Field::Points, Problem::Required)]));
        }
        let Some(account_id) = self.held_account(user, wanted).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let at = self.now();
        let today = tokyo_date(at);
        let credit_payment;
        let mut new = NewUse {
            account_id,
            member_id: user.member_id,
            request_id,
            kind: "",
            points: 0,
            credit_yen: 0,
            payment_date: None,
            item: None,
            partner: None,
            status: "done",
            reason: "",
            at,
            credit_cap_yen: None,
        };
        let link;
        match request {
            UseRequest::Bill { points } => {
                let credit = match points::bill_credit(&self.config.points.bill, *points) {
                    Ok(yen) => yen,
                    Err(p) => return Ok(Reply::Invalid(vec![(Field::Points, Problem::Points(p))])),
                };
                let payment = self.credit_payment(account_id, today).await?;
                credit_payment = iso_date(payment);
                let (due, cap) = self.bill_on(account_id, payment).await?;
                let max = points::bill_max_points(&self.config.points.bill, due.total_yen());
                if *points > max {
                    return Ok(more_than_bill(max));
                }
                new.credit_cap_yen = Some(cap);
                new.kind = "bill";
                new.reason = "bill";
                new.points = *points;
                new.credit_yen = credit;
                new.payment_date = Some(&credit_payment);
            }
            UseRequest::Item { code } => {
                let Some(item) = catalog_item(code) else {
                    return Ok(Reply::Invalid(vec![(Field::Item, Problem::UnknownItem)]));
                };
                new.kind = "item";
                new.reason = item.code;
                new.points = item.points;
                new.item = Some(item.code);
            }
            UseRequest::Transfer { partner, points } => {
                // Points leaving for another program cannot be called back: a fresh confirmation.
                if !self.confirmed(user, at) {
                    return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
                }
                let units = match points::transfer_units(self.ratio(*partner), *points) {
                    Ok(units) => units,
                    Err(p) => return Ok(Reply::Invalid(vec![(Field::Points, Problem::Points(p))])),
                };
                link = self
                    .db
                    .partner_links(account_id)
                    .await?
                    .into_iter()
                    .find(|(code, _)| code == partner.code())
                    .map(|(_, number)| number);
                let Some(number) = link.as_deref() else {
                    return Ok(Reply::Refused(Refusal::PartnerNotLinked));
                };
                new.kind = "transfer";
                new.reason = partner.code();
                new.points = *points;
                new.partner = Some((partner.code(), number, units));
                new.status = TransferStatus::Requested.code();
            }
        }
        let outcome = self.db.use_points(&new).await?;
        let (use_id, repeated) = match outcome {
            UseOutcome::Recorded(id) => (id, false),
            UseOutcome::Repeated(id) => (id, true),
            UseOutcome::NotEnoughPoints => return Ok(Reply::Refused(Refusal::NotEnoughPoints)),
            // Another credit to the same bill came first.
            UseOutcome::OverBill { credited_yen } => {
                let left = new.credit_cap_yen.unwrap_or(0) - credited_yen;
                return Ok(more_than_bill(points::bill_max_points(
                    &self.config.points.bill,
                    left,
                )));
            }
        };
        if !repeated {
            tracing::info!(
                account = account_id,
                kind = new.kind,
                points = new.points,
                "points used"
            );
            if let UseRequest::Transfer { partner, points } = request {
                let (ja, en) = partner.names();
                self.notify_member(
                    user.member_id,
                    "【会員ポータル】ポイント移行のお申し込み / Points transfer requested",
                    &format!("{ja}へ {points} ポイントの移行を受け付けました。\n{NOT_YOU_JA}"),
                    &format!("We received your transfer of {points} points to {en}.\n{NOT_YOU_EN}"),
                )
                .await?;
            }
        }
        Ok(Reply::Done(UseDone { use_id, repeated }))
    }

    /// Links (or replaces) the member number of a partner program, checked for its format.
    pub async fn link_partner(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        partner_code: &str,
        number: &str,
    ) -> PortalResult<Reply<()>> {
        let Some(partner) = Partner::from_code(partner_code) else {
            return Ok(Reply::Invalid(vec![(
                Field::PartnerNumber,
                Problem::Required,
            )]));
        };
        let number = match partner.check_number(number) {
            Ok(number) => number,
            Err(p) => {
                return Ok(Reply::Invalid(vec![(
                    Field::PartnerNumber,
                    Problem::PartnerNumber(p),
                )]));
            }
        };
        // The linked number is where transfers go: changing it needs a fresh confirmation.
        let now = self.now();
        if !self.confirmed(user, now) {
            return Ok(Reply::Refused(Refusal::ConfirmationNeeded));
        }
        let Some(account_id) = self.held_account(user, wanted).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        self.db
            .link_partner(account_id, partner.code(), &number, now)
            .await?;
        let (ja, en) = partner.names();
        self.notify_member(
            user.member_id,
            "【会員ポータル】提携プログラムの登録 / Partner program linked",
            &format!(
                "{ja}の会員番号（{}）を登録しました。\n{NOT_YOU_JA}",
                masked_number(&number)
            ),
            &format!(
                "Your {en} number ({}) was linked.\n{NOT_YOU_EN}",
                masked_number(&number)
            ),
        )
        .await?;
        Ok(Reply::Done(()))
    }

    /// The demo partner's answer: transfers waiting longer than the configured delay are credited,
    /// or refused for member numbers ending in `DEMO_REFUSED_SUFFIX`, which gives the points back.
    pub async fn answer_demo_transfers(&self) -> PortalResult<usize> {
        let at = self.now();
        let waiting = self
            .db
            .waiting_transfers(at - self.config.points.demo_transfer_secs)
            .await?;
        let mut answered = 0;
        for (id, account_id, number) in waiting {
            let answer = if number.ends_with(DEMO_REFUSED_SUFFIX) {
                PartnerAnswer::Refused
            } else {
                PartnerAnswer::Credited
            };
            let Some(status) = TransferStatus::Requested.answered(answer) else {
                continue;
            };
            if self
                .db
                .settle_transfer(id, status.code(), status.returns_points(), at)
                .await?
            {
                tracing::info!(
                    account = account_id,
                    transfer = id,
                    status = status.code(),
                    "transfer answered"
                );
                answered += 1;
            }
        }
        Ok(answered)
    }

    /// Takes off points whose expiry date has come. Once a day per account at most: the use's
    /// request id is the date, with a `:` no browser request id may contain.
    pub async fn expire_points(&self) -> PortalResult<i64> {
        let at = self.now();
        let today = tokyo_date(at);
        let request_id = format!("expire:{}", iso_date(today));
        let mut expired = 0;
        for account in self.db.accounts().await? {
            // Most accounts have nothing due: only those are read again under the lock.
            let lots = self.db.point_lots(account.account_id).await?;
            let balance = self.db.points_balance(account.account_id).await?;
            if self.expiry_of(&lots, balance, today).due_now <= 0 {
                continue;
            }
            expired += self
                .db
                .expire_points(
                    account.account_id,
                    account.primary_member_id,
                    &request_id,
                    at,
                    |lots, balance| self.expiry_of(lots, balance, today).due_now,
                )
                .await?;
        }
        Ok(expired)
    }
}

/// `******7890`.
fn masked_number(number: &str) -> String {
    let keep = number.len().saturating_sub(4);
    format!("{}{}", "*".repeat(keep), &number[keep..])
}

fn use_view(row: UseRow) -> Option<UseView> {
    let kind = match row.kind.as_str() {
        "bill" => UseKind::Bill {
            credit_yen: row.credit_yen,
            payment_date: row.payment_date.unwrap_or_default(),
        },
        "item" => UseKind::Item {
            code: row.item.unwrap_or_default(),
        },
        "transfer" => UseKind::Transfer {
            partner: Partner::from_code(row.partner.as_deref()?)?,
            units: row.partner_units.unwrap_or(0),
            status: TransferStatus::from_code(&row.status)?,
        },
        _ => return None,
    };
    Some(UseView {
        id: row.id,
        points: row.points,
        kind,
        created_at: row.created_at,
        settled_at: row.settled_at,
    })
}

fn more_than_bill(max: i64) -> Reply<UseDone> {
    Reply::Invalid(vec![(
        Field::Points,
        Problem::Points(PointsProblem::MoreThanBill { max }),
    )])
}
