//! Paying (C1, C2, D2): the payment schedule and its history, moving charges to revolving or
//! instalments and undoing that before the cut-off, and the spending-power check. The arithmetic is
//! `portal_domain::payments`; this module reads the account, applies it, and writes the ledger.

use portal_domain::api::{
    ChargeView, DueView, Field, PaymentsView, PlanPreview, PlanSeen, PlanView, Problem, Refusal,
    Reply, SpendingAnswer,
};
use portal_domain::card::chosen_account;
use portal_domain::money::parse_amount;
use portal_domain::payments::{
    self, Charge, ChargePlan, Due, PlanChoice, PlanKind, cutoff, first_open_payment,
};
use portal_domain::period::{
    BillingCycle, iso_date, parse_iso_date, secs_to_tokyo_midnight, tokyo_date,
};
use time::Date;

use crate::store::cards::CardRow;
use crate::store::payments::{NewPlan, PlanLine};
use crate::{Client, Portal, PortalResult, SessionUser};

/// The audit event of a spending-power check; the daily limit counts these.
const SPENDING_CHECKED: &str = "spending_power_checked";

/// Past payments shown in the history.
const HISTORY_PAYMENTS: usize = 12;

/// The account's charges and credits as the schedule needs them.
struct Account {
    id: i64,
    cycle: BillingCycle,
    lines: Vec<PlanLine>,
    credits: Vec<(Date, i64)>,
}

impl Account {
    fn statement_payment(&self, line: &PlanLine) -> Date {
        let used_on = parse_iso_date(&line.used_on).unwrap_or(Date::MIN);
        self.cycle.period_containing(used_on).payment
    }

    fn charge(&self, line: &PlanLine, plan: Option<ChargePlan>) -> Charge {
        Charge {
            statement_payment: self.statement_payment(line),
            amount_yen: line.amount_yen,
            plan,
        }
    }

    fn current_plan(line: &PlanLine) -> Option<ChargePlan> {
        let plan = line.plan.as_ref()?;
        let choice = match PlanKind::from_code(&plan.kind)? {
            PlanKind::Revolving => PlanChoice::Revolving {
                monthly_yen: plan.monthly_yen,
            },
            PlanKind::Instalments => PlanChoice::Instalments {
                payments: u8::try_from(plan.payments).unwrap_or(1),
            },
        };
        Some(ChargePlan {
            choice,
            first_payment: parse_iso_date(&plan.first_payment)?,
            order: plan.id,
        })
    }

    /// The schedule with the lines as they are, except those in `planned` (line id, plan), which
    /// are put in their new plan.
    fn schedule(&self, rate_bp: u32, planned: &[(i64, ChargePlan)]) -> Vec<(Date, Due)> {
        let charges: Vec<Charge> = self
            .lines
            .iter()
            .map(|line| {
                let plan = planned
                    .iter()
                    .find(|(id, _)| *id == line.transaction_id)
                    .map(|(_, plan)| *plan)
                    .or_else(|| Self::current_plan(line));
                self.charge(line, plan)
            })
            .collect();
        let owed = payments::owed(&charges, self.credits.clone());
        payments::schedule(&self.cycle, rate_bp, &owed)
    }
}

/// The account among the member's cards that she holds: `wanted` if it is one, else the first
/// (a family member holds none).
pub(crate) fn held_account_of(cards: &[CardRow], wanted: Option<i64>) -> Option<i64> {
    chosen_account(cards.iter().map(|c| (c.account_id, c.family)), wanted, true)
}

impl Portal {
    /// The account the member holds (not a family card's): `wanted` (the URL's) if she holds it,
    /// else the first; none for a family member or an account that is not hers.
    pub(crate) async fn held_account(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
    ) -> PortalResult<Option<i64>> {
        Ok(held_account_of(
            &self.db.visible_cards(user.member_id).await?,
            wanted,
        ))
    }

    /// What the schedule of an account the member holds is made of; none for a family member.
    async fn held_payments(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        today: Date,
    ) -> PortalResult<Option<Account>> {
        match self.held_account(user, wanted).await? {
            Some(account_id) => self.payment_account(account_id, today).await,
            None => Ok(None),
        }
    }

    /// The account with the lines of a full year of payment history before `from`, and every line
    /// in a plan whatever its date.
    async fn payment_account(&self, account_id: i64, from: Date) -> PortalResult<Option<Account>> {
        let Some(cycle) = self.db.account_cycle(account_id).await? else {
            return Ok(None);
        };
        let mut first = cycle.period_containing(from);
        for _ in 0..=HISTORY_PAYMENTS {
            first = cycle.previous(&first);
        }
        let lines = self
            .db
            .plan_lines(account_id, &iso_date(first.start))
            .await?;
        let credits = self
            .db
            .bill_credits(account_id)
            .await?
            .into_iter()
            .filter_map(|(date, yen)| Some((parse_iso_date(&date)?, yen)))
            .collect();
        Ok(Some(Account {
            id: account_id,
            cycle,
            lines,
            credits,
        }))
    }

    /// What the schedule debits on `date` as things stand, past or coming.
    pub(crate) async fn due_on(&self, account_id: i64, date: Date) -> PortalResult<Due> {
        Ok(self.bill_on(account_id, date).await?.0)
    }

    /// What `date` debits, and what it would debit before any points went against it (the most
    /// that bill's credits may add up to), from one reading of the account.
    pub(crate) async fn bill_on(&self, account_id: i64, date: Date) -> PortalResult<(Due, i64)> {
        let from = tokyo_date(self.now()).min(date);
        let Some(account) = self.payment_account(account_id, from).await? else {
            return Ok((Due::default(), 0));
        };
        let due = account
            .schedule(self.config.plans.annual_rate_bp, &[])
            .into_iter()
            .find(|(d, _)| *d == date)
            .map(|(_, due)| due)
            .unwrap_or_default();
        let points_yen: i64 = account
            .credits
            .iter()
            .filter(|(d, _)| *d == date)
            .map(|(_, yen)| yen)
            .sum();
        Ok((due, due.total_yen() + points_yen))
    }

    fn due_view(&self, date: Date, due: Due, today: Date) -> DueView {
        DueView {
            date: iso_date(date),
            due,
            fixed: today > cutoff(date, self.config.plans.cutoff_days),
        }
    }

    pub async fn payments(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
    ) -> PortalResult<Reply<PaymentsView>> {
        let today = tokyo_date(self.now());
        let Some(account) = self.held_payments(user, wanted, today).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let terms = &self.config.plans;
        let schedule = account.schedule(terms.annual_rate_bp, &[]);
        let (mut history, coming): (Vec<_>, Vec<_>) =
            schedule.into_iter().partition(|(date, _)| *date < today);
        history.reverse();
        history.truncate(HISTORY_PAYMENTS);
        let mut plans = Vec::new();
        let mut eligible = Vec::new();
        for line in &account.lines {
            let statement_payment = account.statement_payment(line);
            if let Some(plan) = &line.plan {
                let first = parse_iso_date(&plan.first_payment).unwrap_or(Date::MIN);
                let last_day = cutoff(first, terms.cutoff_days);
                plans.push(PlanView {
                    plan_id: plan.id,
                    kind: PlanKind::from_code(&plan.kind).unwrap_or(PlanKind::Revolving),
                    merchant: line.merchant.clone(),
                    used_on: line.used_on.clone(),
                    amount_yen: line.amount_yen,
                    monthly_yen: plan.monthly_yen,
                    payments: u8::try_from(plan.payments).unwrap_or(0),
                    first_payment: plan.first_payment.clone(),
                    undo_until: (today <= last_day).then(|| iso_date(last_day)),
                });
            } else if line.posted
                && line.amount_yen >= terms.min_charge_yen
                && statement_payment > today
            {
                eligible.push(ChargeView {
                    id: line.transaction_id,
                    used_on: line.used_on.clone(),
                    merchant: line.merchant.clone(),
                    last_digits: line.last_digits.clone(),
                    amount_yen: line.amount_yen,
                    statement_payment: iso_date(statement_payment),
                    applies_from: iso_date(first_open_payment(
                        &account.cycle,
                        statement_payment,
                        today,
                        terms.cutoff_days,
                    )),
                });
            }
        }
        Ok(Reply::Done(PaymentsView {
            coming: coming
                .into_iter()
                .map(|(d, due)| self.due_view(d, due, today))
                .collect(),
            history: history
                .into_iter()
                .map(|(d, due)| self.due_view(d, due, today))
                .collect(),
            plans,
            eligible,
            terms: terms.clone(),
            today: iso_date(today),
        }))
    }

    /// Shows what moving the charges would do and, with `confirm`, does it. With `seen` (what the
    /// member was shown), the change is made only if it is still exactly that.
    pub async fn change_plan(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        line_ids: &[i64],
        choice: PlanChoice,
        confirm: bool,
        seen: Option<&PlanSeen>,
    ) -> PortalResult<Reply<PlanPreview>> {
        const MOST_CHARGES: usize = 100;
        if line_ids.len() > MOST_CHARGES {
            return Ok(Reply::Refused(Refusal::NotEligible));
        }
        let today = tokyo_date(self.now());
        let terms = &self.config.plans;
        let Some(account) = self.held_payments(user, wanted, today).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let mut ids = line_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let chosen: Vec<&PlanLine> = account
            .lines
            .iter()
            .filter(|l| ids.contains(&l.transaction_id))
            .collect();
        let amounts: Vec<i64> = chosen.iter().map(|l| l.amount_yen).collect();
        if let Err(problem) = payments::check_plan(terms, choice, &amounts) {
            let field = match problem {
                payments::PlanProblem::UnknownCourse | payments::PlanProblem::UnknownCount => {
                    Field::Plan
                }
                _ => Field::Charges,
            };
            return Ok(Reply::Invalid(vec![(field, Problem::Plan(problem))]));
        }
        let eligible = chosen.len() == ids.len()
            && chosen
                .iter()
                .all(|l| l.plan.is_none() && l.posted && account.statement_payment(l) > today);
        if !eligible {
            return Ok(Reply::Refused(Refusal::NotEligible));
        }
        let starts: Vec<Date> = chosen
            .iter()
            .map(|l| {
                first_open_payment(
                    &account.cycle,
                    account.statement_payment(l),
                    today,
                    terms.cutoff_days,
                )
            })
            .collect();
        let planned: Vec<(i64, ChargePlan)> = chosen
            .iter()
            .zip(&starts)
            .map(|(line, start)| {
                (
                    line.transaction_id,
                    ChargePlan {
                        choice,
                        first_payment: *start,
                        // Made after every plan there is.
                        order: i64::MAX,
                    },
                )
            })
            .collect();
        let with = account.schedule(terms.annual_rate_bp, &planned);
        let without = account.schedule(terms.annual_rate_bp, &[]);
        let changes = payments::difference(&with, &without);
        let statement_payment = chosen
            .iter()
            .map(|l| account.statement_payment(l))
            .min()
            .unwrap_or(today);
        let applies_from = starts.iter().min().copied().unwrap_or(today);
        let preview = PlanPreview {
            choice,
            amount_yen: amounts.iter().sum(),
            statement_payment: iso_date(statement_payment),
            applies_from: iso_date(applies_from),
            fee_total_yen: changes.iter().map(|(_, d)| d.fee_yen()).sum(),
            changes: changes
                .into_iter()
                .map(|(d, due)| self.due_view(d, due, today))
                .collect(),
            confirmed: confirm,
        };
        if !confirm {
            return Ok(Reply::Done(preview));
        }
        if seen.is_some_and(|seen| {
            seen.applies_from != preview.applies_from || seen.fee_total_yen != preview.fee_total_yen
        }) {
            return Ok(Reply::Refused(Refusal::PreviewChanged));
        }
        let (monthly_yen, payments) = match choice {
            PlanChoice::Revolving { monthly_yen } => (monthly_yen, 0),
            PlanChoice::Instalments { payments } => (0, i64::from(payments)),
        };
        let new: Vec<NewPlan<'_>> = chosen
            .iter()
            .zip(&starts)
            .map(|(line, start)| NewPlan {
                transaction_id: line.transaction_id,
                seq: line.seq,
                kind: choice.kind().code(),
                monthly_yen,
                payments,
                first_payment: iso_date(*start),
            })
            .collect();
        let created = self
            .db
            .create_plans(account.id, user.member_id, &new, self.now())
            .await?;
        if created.is_none() {
            return Ok(Reply::Refused(Refusal::NotEligible));
        }
        tracing::info!(
            account = account.id,
            kind = choice.kind().code(),
            lines = new.len(),
            "payment plan made"
        );
        Ok(Reply::Done(preview))
    }

    /// Puts a plan's charges back to lump sums, until the cut-off of its first payment.
    pub async fn undo_plan(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        plan_id: i64,
    ) -> PortalResult<Reply<()>> {
        let today = tokyo_date(self.now());
        let Some(account) = self.held_payments(user, wanted, today).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let lines: Vec<&PlanLine> = account
            .lines
            .iter()
            .filter(|l| l.plan.as_ref().is_some_and(|p| p.id == plan_id))
            .collect();
        let Some(first) = lines
            .first()
            .and_then(|l| l.plan.as_ref())
            .and_then(|p| parse_iso_date(&p.first_payment))
        else {
            return Ok(Reply::Refused(Refusal::NotEligible));
        };
        if today > cutoff(first, self.config.plans.cutoff_days) {
            return Ok(Reply::Refused(Refusal::PastCutoff));
        }
        let keys: Vec<(i64, i64)> = lines.iter().map(|l| (l.transaction_id, l.seq)).collect();
        if !self
            .db
            .undo_plan(account.id, user.member_id, &keys, self.now())
            .await?
        {
            return Ok(Reply::Refused(Refusal::NotEligible));
        }
        Ok(Reply::Done(()))
    }

    /// Whether a purchase of the amount typed would be approved now (D2) on the card ending
    /// `card` (the member's own when empty). The answer is yes or no, and no for a frozen card;
    /// the internal line never leaves the server, and checks are limited per member.
    pub async fn spending_power(
        &self,
        user: &SessionUser,
        wanted: Option<i64>,
        amount_text: &str,
        card: &str,
        client: &Client,
    ) -> PortalResult<Reply<SpendingAnswer>> {
        let rule = self.config.spending;
        let Some(amount) = parse_amount(amount_text)
            .ok()
            .flatten()
            .filter(|a| *a > 0 && *a <= rule.max_amount_yen)
        else {
            return Ok(Reply::Invalid(vec![(
                Field::Amount,
                Problem::AmountInvalid,
            )]));
        };
        let cards = self.db.visible_cards(user.member_id).await?;
        let Some(shown) = held_account_of(&cards, wanted) else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        // A card named by its digits may be on any account she holds, unless the page names one.
        let on_account = |c: &CardRow| match wanted {
            Some(_) => c.account_id == shown,
            None => held_account_of(&cards, Some(c.account_id)).is_some(),
        };
        let chosen = match card.trim() {
            "" => cards
                .iter()
                .find(|c| c.account_id == shown && !c.family && c.member_id == user.member_id),
            last => cards
                .iter()
                .find(|c| c.last_digits == last && on_account(c)),
        };
        let Some(chosen) = chosen else {
            return Ok(Reply::Refused(Refusal::CardNotFound));
        };
        let account_id = chosen.account_id;
        let frozen = chosen.frozen;
        if let Err(retry_after_secs) = self.limits.spending_checks.check(&user.member_id) {
            return Ok(Reply::Refused(Refusal::RateLimited { retry_after_secs }));
        }
        let now = self.now();
        let today = tokyo_date(now);
        // Taken before the answer, so parallel checks cannot pass the day's limit together.
        let day_key = format!("spending:{}:{today}", user.online_user_id);
        let per_day = self.config.rate.spending_checks_per_member_per_day;
        if self.db.take_use(&day_key, per_day, now).await?.is_none() {
            let retry_after_secs = u64::try_from(secs_to_tokyo_midnight(now)).unwrap_or(1);
            return Ok(Reply::Refused(Refusal::RateLimited { retry_after_secs }));
        }
        let Some(account) = self.payment_account(account_id, today).await? else {
            return Ok(Reply::Refused(Refusal::HolderOnly));
        };
        let owed: i64 = account
            .schedule(self.config.plans.annual_rate_bp, &[])
            .iter()
            .filter(|(date, _)| *date >= today)
            .map(|(_, due)| due.principal_yen() - due.credit_yen)
            .sum();
        let (line, late) = self.db.spending_profile(account_id).await?;
        let approved = !frozen && payments::approves(&rule, amount, line, owed, late);
        // Each check is audited, so that someone trying amounts to find the line shows up.
        self.audit(
            client,
            SPENDING_CHECKED,
            Some(user.online_user_id),
            None,
            if approved { "approved" } else { "declined" },
        )
        .await;
        Ok(Reply::Done(SpendingAnswer {
            amount_yen: amount,
            approved,
            frozen,
        }))
    }
}
