//! Registered details (C3) and their history: every change is a `detail_changes` row written in the
//! same transaction as the new value, with the member's row locked, so two changes racing each
//! record the value the other left and nothing is overwritten unrecorded.

use portal_domain::details::{Address, DetailChangeView, DetailItem};

use super::{Db, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberDetails {
    pub name_ja: String,
    pub name_kana: String,
    pub name_en: String,
    pub birth_date: String,
    pub email: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub address_line1: String,
    pub address_line2: String,
    pub home_phone: String,
    pub mobile_phone: String,
    pub employer_name: String,
    pub employer_phone: String,
}

impl MemberDetails {
    pub fn address(&self) -> Address {
        Address {
            postal_code: self.postal_code.clone(),
            prefecture: self.prefecture.clone(),
            city: self.city.clone(),
            line1: self.address_line1.clone(),
            line2: self.address_line2.clone(),
        }
    }

    /// The item as the history shows it.
    fn shown(&self, item: DetailItem) -> String {
        match item {
            DetailItem::Address => self.address().one_line(),
            DetailItem::HomePhone => self.home_phone.clone(),
            DetailItem::MobilePhone => self.mobile_phone.clone(),
            DetailItem::EmployerName => self.employer_name.clone(),
            DetailItem::EmployerPhone => self.employer_phone.clone(),
            DetailItem::Email => self.email.clone(),
        }
    }
}

/// The items kept in one column each (the address takes five).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextItem {
    HomePhone,
    MobilePhone,
    EmployerName,
    EmployerPhone,
    Email,
}

impl TextItem {
    fn item(self) -> DetailItem {
        match self {
            TextItem::HomePhone => DetailItem::HomePhone,
            TextItem::MobilePhone => DetailItem::MobilePhone,
            TextItem::EmployerName => DetailItem::EmployerName,
            TextItem::EmployerPhone => DetailItem::EmployerPhone,
            TextItem::Email => DetailItem::Email,
        }
    }

    fn column(self) -> &'static str {
        match self {
            TextItem::HomePhone => "home_phone",
            TextItem::MobilePhone => "mobile_phone",
            TextItem::EmployerName => "employer_name",
            TextItem::EmployerPhone => "employer_phone",
            TextItem::Email => "email",
        }
    }
}

/// A new value for one registered item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewDetail {
    Address(Address),
    Text(TextItem, String),
}

impl NewDetail {
    fn item(&self) -> DetailItem {
        match self {
            NewDetail::Address(_) => DetailItem::Address,
            NewDetail::Text(item, _) => item.item(),
        }
    }

    fn shown(&self) -> String {
        match self {
            NewDetail::Address(address) => address.one_line(),
            NewDetail::Text(_, value) => value.clone(),
        }
    }

    /// The columns it writes; names come from this match only, never from a request.
    fn columns(&self) -> Vec<(&'static str, &str)> {
        match self {
            NewDetail::Address(a) => vec![
                ("postal_code", &a.postal_code),
                ("prefecture", &a.prefecture),
                ("city", &a.city),
                ("address_line1", &a.line1),
                ("address_line2", &a.line2),
            ],
            NewDetail::Text(item, value) => vec![(item.column(), value)],
        }
    }
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: i64,
    item: String,
    old_value: String,
    new_value: String,
}

const DETAILS: &str =
    "SELECT name_ja, name_kana, name_en, birth_date, email, postal_code, prefecture, city,
        address_line1, address_line2, home_phone, mobile_phone, employer_name, employer_phone
     FROM members WHERE id = $1";

impl Db {
    pub async fn member_details(&self, member_id: i64) -> DbResult<Option<MemberDetails>> {
        sqlx::query_as(DETAILS)
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Writes the values that differ from what is registered, each with a history row, and says
    /// which items changed (none when everything was the same).
    pub async fn update_details(
        &self,
        member_id: i64,
        online_user_id: i64,
        now: i64,
        values: &[NewDetail],
    ) -> DbResult<Vec<DetailItem>> {
        let mut tx = self.pool.begin().await?;
        // Holds the member's row until commit (a row lock on PostgreSQL, the write lock on SQLite),
        // so the old value read next is the one replaced.
        sqlx::query("UPDATE members SET name_ja = name_ja WHERE id = $1")
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let current: MemberDetails = sqlx::query_as(DETAILS)
            .bind(member_id)
            .fetch_one(&mut *tx)
            .await?;
        let mut changed = Vec::new();
        for value in values {
            let item = value.item();
            let (old, new) = (current.shown(item), value.shown());
            if old == new {
                continue;
            }
            for (column, text) in value.columns() {
                sqlx::query(&format!("UPDATE members SET {column} = $1 WHERE id = $2"))
                    .bind(text)
                    .bind(member_id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO detail_changes (member_id, online_user_id, at, item, old_value, new_value)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(member_id)
            .bind(online_user_id)
            .bind(now)
            .bind(item.code())
            .bind(old)
            .bind(new)
            .execute(&mut *tx)
            .await?;
            changed.push(item);
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Newest first.
    pub async fn detail_history(
        &self,
        member_id: i64,
        limit: i64,
    ) -> DbResult<Vec<DetailChangeView>> {
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "SELECT at, item, old_value, new_value FROM detail_changes
             WHERE member_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(DetailChangeView {
                    at: r.at,
                    item: DetailItem::from_code(&r.item)?,
                    old_value: r.old_value,
                    new_value: r.new_value,
                })
            })
            .collect())
    }

    /// Registered details for demo members (no history: it is where they start).
    pub async fn seed_details(&self, member_id: i64, details: &MemberDetails) -> DbResult<()> {
        sqlx::query(
            "UPDATE members SET name_kana = $2, postal_code = $3, prefecture = $4, city = $5,
                address_line1 = $6, address_line2 = $7, home_phone = $8, mobile_phone = $9,
                employer_name = $10, employer_phone = $11
             WHERE id = $1",
        )
        .bind(member_id)
        .bind(&details.name_kana)
        .bind(&details.postal_code)
        .bind(&details.prefecture)
        .bind(&details.city)
        .bind(&details.address_line1)
        .bind(&details.address_line2)
        .bind(&details.home_phone)
        .bind(&details.mobile_phone)
        .bind(&details.employer_name)
        .bind(&details.employer_phone)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
