//! Demo data, loaded into an empty database in demo mode: the five members the README lists, their
//! cards (stored as keyed hashes like real ones), 13 months of transactions ending today, closed
//! statements and points. Transactions are generated from a fixed seed per card, so a given day
//! always produces the same history.

use portal_domain::card::{BACK_CODE_LEN, CardNumber, FRONT_CODE_LEN, parse_code};
use portal_domain::credentials::UserId;
use portal_domain::period::{BillingCycle, iso_date, parse_iso_date, tokyo_date};
use time::{Date, Duration};

use crate::store::cards::{ClosingPeriod, NewTransaction};
use crate::store::details::MemberDetails;
use crate::{Portal, PortalResult};

pub struct DemoCard {
    pub number: &'static str,
    pub name_ja: &'static str,
    pub name_en: &'static str,
    pub birth_date: &'static str,
    pub front_code: &'static str,
    pub back_code: &'static str,
    pub email: &'static str,
    pub details: DemoDetails,
}

/// Registered details (C3), as the README lists them.
pub struct DemoDetails {
    pub name_kana: &'static str,
    pub postal_code: &'static str,
    pub prefecture: &'static str,
    pub city: &'static str,
    pub line1: &'static str,
    pub line2: &'static str,
    pub home_phone: &'static str,
    pub mobile_phone: &'static str,
    pub employer_name: &'static str,
    pub employer_phone: &'static str,
}

pub const TARO: DemoCard = DemoCard {
    number: "371234567890005",
    name_ja: "山田 太郎",
    name_en: "Taro Yamada",
    birth_date: "1985-04-12",
    front_code: "1234",
    back_code: "567",
    email: "taro.yamada@example.jp",
    details: DemoDetails {
        name_kana: "ヤマダ タロウ",
        postal_code: "1000001",
        prefecture: "東京都",
        city: "千代田区",
        line1: "千代田1-1",
        line2: "",
        home_phone: "03-3211-0001",
        mobile_phone: "090-1234-5678",
        employer_name: "株式会社サンプル商事",
        employer_phone: "03-5555-0100",
    },
};
pub const HANAKO: DemoCard = DemoCard {
    number: "371234567890013",
    name_ja: "山田 花子",
    name_en: "Hanako Yamada",
    birth_date: "1987-09-30",
    front_code: "9876",
    back_code: "321",
    email: "hanako.yamada@example.jp",
    details: DemoDetails {
        name_kana: "ヤマダ ハナコ",
        postal_code: "1000001",
        prefecture: "東京都",
        city: "千代田区",
        line1: "千代田1-1",
        line2: "",
        home_phone: "03-3211-0001",
        mobile_phone: "090-2345-6789",
        employer_name: "",
        employer_phone: "",
    },
};
pub const KEN: DemoCard = DemoCard {
    number: "371234567890021",
    name_ja: "佐藤 健",
    name_en: "Ken Sato",
    birth_date: "1990-11-03",
    front_code: "4321",
    back_code: "765",
    email: "ken.sato@example.jp",
    details: DemoDetails {
        name_kana: "サトウ ケン",
        postal_code: "1500001",
        prefecture: "東京都",
        city: "渋谷区",
        line1: "神宮前1-2-3",
        line2: "コーポ神宮前101",
        home_phone: "",
        mobile_phone: "080-3456-7890",
        employer_name: "渋谷デザイン株式会社",
        employer_phone: "03-6666-0200",
    },
};
pub const MISAKI: DemoCard = DemoCard {
    number: "371234567890039",
    name_ja: "鈴木 美咲",
    name_en: "Misaki Suzuki",
    birth_date: "1978-02-28",
    front_code: "2468",
    back_code: "135",
    email: "misaki.suzuki@example.jp",
    details: DemoDetails {
        name_kana: "スズキ ミサキ",
        postal_code: "5300001",
        prefecture: "大阪府",
        city: "大阪市北区",
        line1: "梅田2-4-9",
        line2: "梅田タワー1203",
        home_phone: "06-6345-6789",
        mobile_phone: "070-4567-8901",
        employer_name: "",
        employer_phone: "",
    },
};
/// Misaki's card of a second account (R1): the same member, added to her portal by hand.
pub const MISAKI_GOLD: DemoCard = DemoCard {
    number: "371234567890062",
    front_code: "8642",
    back_code: "975",
    ..MISAKI
};
pub const JOHN: DemoCard = DemoCard {
    number: "371234567890054",
    name_ja: "ジョン・スミス",
    name_en: "John Smith",
    birth_date: "1982-07-19",
    front_code: "1357",
    back_code: "246",
    email: "john.smith@example.com",
    details: DemoDetails {
        name_kana: "スミス ジョン",
        postal_code: "1060032",
        prefecture: "東京都",
        city: "港区",
        line1: "六本木6-10-1",
        line2: "",
        home_phone: "",
        mobile_phone: "090-5678-9012",
        employer_name: "Smith Consulting K.K.",
        employer_phone: "03-7777-0300",
    },
};

/// Days since the demo welcome bonus: 34 months, so it expires in about two months.
const WELCOME_AGE_DAYS: i64 = 34 * 30;

pub const DEMO_USER_ID: &str = "demotaro";
pub const DEMO_PASSWORD: &str = "Portal2026demo";

struct DemoAccount {
    product: (&'static str, &'static str),
    cycle: BillingCycle,
    /// Main card first, then family cards, each with its average uses per day.
    cards: &'static [(&'static DemoCard, f64)],
    welcome_points: i64,
    /// The issuer's internal line for the spending-power check; never shown.
    internal_line_yen: i64,
}

const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        product: ("ゴールド・カード", "Gold Card"),
        cycle: BillingCycle {
            closing_day: 20,
            payment_day: 10,
        },
        cards: &[(&TARO, 0.8), (&HANAKO, 0.3)],
        welcome_points: 15_000,
        internal_line_yen: 2_000_000,
    },
    DemoAccount {
        product: ("グリーン・カード", "Green Card"),
        cycle: BillingCycle {
            closing_day: 15,
            payment_day: 10,
        },
        cards: &[(&KEN, 0.5)],
        welcome_points: 3_000,
        internal_line_yen: 500_000,
    },
    DemoAccount {
        product: ("プラチナ・カード", "Platinum Card"),
        cycle: BillingCycle {
            closing_day: 31,
            payment_day: 26,
        },
        cards: &[(&MISAKI, 0.6)],
        welcome_points: 50_000,
        internal_line_yen: 8_000_000,
    },
    DemoAccount {
        product: ("ゴールド・カード", "Gold Card"),
        cycle: BillingCycle {
            closing_day: 10,
            payment_day: 5,
        },
        cards: &[(&JOHN, 0.5)],
        welcome_points: 8_000,
        internal_line_yen: 1_000_000,
    },
    DemoAccount {
        product: ("ゴールド・カード", "Gold Card"),
        cycle: BillingCycle {
            closing_day: 25,
            payment_day: 15,
        },
        cards: &[(&MISAKI_GOLD, 0.2)],
        welcome_points: 4_000,
        internal_line_yen: 1_500_000,
    },
];

struct Merchant {
    name: &'static str,
    category: &'static str,
    min_yen: i64,
    max_yen: i64,
    /// Currency and yen per unit for foreign use.
    foreign: Option<(&'static str, i64)>,
}

const fn shop(name: &'static str, category: &'static str, min_yen: i64, max_yen: i64) -> Merchant {
    Merchant {
        name,
        category,
        min_yen,
        max_yen,
        foreign: None,
    }
}

const fn abroad(
    name: &'static str,
    category: &'static str,
    min_yen: i64,
    max_yen: i64,
    currency: &'static str,
    yen_per_unit: i64,
) -> Merchant {
    Merchant {
        name,
        category,
        min_yen,
        max_yen,
        foreign: Some((currency, yen_per_unit)),
    }
}

const MERCHANTS: &[Merchant] = &[
    shop("セブン-イレブン", "groceries", 180, 1_800),
    shop("ファミリーマート", "groceries", 150, 1_500),
    shop("ローソン", "groceries", 150, 1_600),
    shop("成城石井", "groceries", 1_200, 8_000),
    shop("イオン", "groceries", 2_000, 12_000),
    shop("スターバックス コーヒー", "dining", 450, 1_600),
    shop("すき家", "dining", 450, 1_200),
    shop("スシロー", "dining", 1_500, 6_000),
    shop("叙々苑 新宿店", "dining", 8_000, 32_000),
    shop("JR東日本 モバイルSuica", "transport", 1_000, 5_000),
    shop("東京メトロ", "transport", 500, 3_000),
    shop("日本交通タクシー", "transport", 1_200, 6_500),
    shop("ENEOS サービスステーション", "transport", 3_000, 9_000),
    shop("Amazon.co.jp", "shopping", 800, 25_000),
    shop("楽天市場", "shopping", 1_000, 20_000),
    shop("ユニクロ 銀座店", "shopping", 1_990, 15_000),
    shop("無印良品", "shopping", 800, 9_000),
    shop(
        "ヨドバシカメラ マルチメディアAkiba",
        "shopping",
        2_000,
        80_000,
    ),
    shop("高島屋 日本橋店", "shopping", 5_000, 60_000),
    shop("東京電力エナジーパートナー", "utilities", 6_000, 18_000),
    shop("NTTドコモ", "utilities", 4_000, 12_000),
    shop("TOHOシネマズ", "entertainment", 1_900, 4_000),
    shop("Netflix", "entertainment", 1_490, 1_490),
    shop("ANA 国内線航空券", "travel", 12_000, 48_000),
    shop("星野リゾート 界", "travel", 30_000, 120_000),
    abroad("AMAZON.COM", "shopping", 3_000, 20_000, "USD", 150),
    abroad(
        "UBER *TRIP SAN FRANCISCO",
        "transport",
        2_000,
        9_000,
        "USD",
        150,
    ),
    abroad(
        "HILTON NEW YORK MIDTOWN",
        "travel",
        40_000,
        150_000,
        "USD",
        150,
    ),
    abroad(
        "GALERIES LAFAYETTE PARIS",
        "shopping",
        8_000,
        90_000,
        "EUR",
        162,
    ),
    abroad("CARREFOUR MARKET", "groceries", 2_000, 12_000, "EUR", 162),
];

/// SplitMix64: small, deterministic, good enough for demo data.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, min: i64, max: i64) -> i64 {
        min + (self.next() % ((max - min + 1) as u64)) as i64
    }
}

/// Loads the demo members when the database has none.
pub async fn seed_if_empty(portal: &Portal) -> PortalResult<()> {
    if portal.db.member_count().await? > 0 {
        return Ok(());
    }
    tracing::info!("loading demo members into an empty database");
    let now = portal.now();
    let today = tokyo_date(now);
    let history_start = today - Duration::days(396);
    // One member per person, by e-mail address: Misaki holds two accounts.
    let mut members: Vec<(&'static str, i64)> = Vec::new();
    for (index, account) in ACCOUNTS.iter().enumerate() {
        let (main, _) = account.cards[0];
        let main_member = member_for(portal, &mut members, main).await?;
        let account_id = portal
            .db
            .insert_account(
                main_member,
                account.product,
                account.cycle.closing_day,
                account.cycle.payment_day,
            )
            .await?;
        let mut lines = Vec::new();
        for (card_index, (card, uses_per_day)) in account.cards.iter().enumerate() {
            let member_id = member_for(portal, &mut members, card).await?;
            let card_id = insert_card(portal, account_id, member_id, card, card_index > 0).await?;
            let mut rng = Seeded(0x5EED_0000 + (index as u64) * 16 + card_index as u64);
            generate_lines(
                &mut rng,
                card_id,
                *uses_per_day,
                history_start,
                today,
                &mut lines,
            );
        }
        add_refund(&mut lines, today);
        let new_lines: Vec<NewTransaction<'_>> = lines
            .iter()
            .map(|l| NewTransaction {
                account_id,
                card_id: l.card_id,
                used_on: &l.used_on,
                posted_on: l.posted_on.as_deref(),
                merchant: l.merchant.name,
                amount_yen: l.amount_yen,
                foreign: l.foreign,
                category: l.merchant.category,
            })
            .collect();
        portal.db.insert_transactions(&new_lines, now).await?;
        // Every period but the latest due one: closing that is left to the closing job at start,
        // so the demo shows the notice a member sees when a statement becomes final.
        let latest_due = account
            .cycle
            .previous(&account.cycle.period_containing(today));
        let mut period = account.cycle.period_containing(history_start);
        while period.closing < latest_due.closing {
            let (start, closing, payment) = (
                iso_date(period.start),
                iso_date(period.closing),
                iso_date(period.payment),
            );
            let dates = ClosingPeriod {
                start: &start,
                closing: &closing,
                payment: &payment,
            };
            portal.db.close_statement(account_id, &dates, None).await?;
            period = account
                .cycle
                .period_containing(period.closing + Duration::days(1));
        }
        // Earned long enough ago that part of it expires within the warning window, as in life.
        let welcomed_on = iso_date(today - Duration::days(WELCOME_AGE_DAYS));
        portal
            .db
            .add_bonus_points(
                account_id,
                account.welcome_points,
                "welcome",
                &welcomed_on,
                now,
            )
            .await?;
        portal
            .db
            .set_spending_profile(account_id, account.internal_line_yen, 0)
            .await?;
    }
    let taro = portal
        .db
        .card_holder_by_number_mac(&portal.keys.card_number_mac(&parse_number(TARO.number)))
        .await?;
    if let Some(taro) = taro {
        let hash = portal.passwords.hash(DEMO_PASSWORD).await?;
        portal
            .db
            .create_online_user(
                taro.member_id,
                taro.card_id,
                &UserId::login_key(DEMO_USER_ID),
                DEMO_USER_ID,
                &hash,
                now,
            )
            .await?;
    }
    Ok(())
}

struct Line {
    card_id: i64,
    used_on: String,
    posted_on: Option<String>,
    merchant: &'static Merchant,
    amount_yen: i64,
    foreign: Option<(&'static str, i64)>,
}

fn generate_lines(
    rng: &mut Seeded,
    card_id: i64,
    uses_per_day: f64,
    from: Date,
    today: Date,
    out: &mut Vec<Line>,
) {
    let mut day = from;
    while day <= today {
        let mut uses = 0;
        while rng.unit() < uses_per_day / (1.0 + f64::from(uses)) && uses < 4 {
            uses += 1;
            // Foreign use is rare; big-ticket travel rarer still.
            let merchant = loop {
                let m = &MERCHANTS[rng.range(0, MERCHANTS.len() as i64 - 1) as usize];
                let rare = m.foreign.is_some() || m.category == "travel";
                if !rare || rng.unit() < 0.15 {
                    break m;
                }
            };
            let amount_yen = round_price(rng.range(merchant.min_yen, merchant.max_yen));
            let foreign = merchant
                .foreign
                .map(|(currency, yen_per_unit)| (currency, amount_yen * 100 / yen_per_unit));
            let age = (today - day).whole_days();
            let posted_on = (age >= 3).then(|| iso_date(day + Duration::days(rng.range(1, 3))));
            out.push(Line {
                card_id,
                used_on: iso_date(day),
                posted_on,
                merchant,
                amount_yen,
                foreign,
            });
        }
        day += Duration::days(1);
    }
}

/// A returned purchase: the newest shopping line at least six weeks old comes back as a credit a
/// week later, which takes back the points it earned.
fn add_refund(lines: &mut Vec<Line>, today: Date) {
    let cutoff = iso_date(today - Duration::days(42));
    let Some(bought) = lines
        .iter()
        .filter(|l| l.merchant.category == "shopping" && l.used_on <= cutoff && l.foreign.is_none())
        .max_by(|a, b| a.used_on.cmp(&b.used_on))
    else {
        return;
    };
    let returned_on = parse_iso_date(&bought.used_on).unwrap_or(today) + Duration::days(7);
    let refund = Line {
        card_id: bought.card_id,
        used_on: iso_date(returned_on),
        posted_on: Some(iso_date(returned_on + Duration::days(1))),
        merchant: bought.merchant,
        amount_yen: -bought.amount_yen,
        foreign: None,
    };
    lines.push(refund);
}

/// Prices end in round numbers more often than not.
fn round_price(yen: i64) -> i64 {
    if yen > 5_000 {
        yen / 100 * 100
    } else if yen > 1_000 {
        yen / 10 * 10
    } else {
        yen
    }
}

fn parse_number(number: &str) -> CardNumber {
    CardNumber::parse(number).expect("demo card numbers pass the Luhn check")
}

/// The member who holds `card`, inserted the first time the person appears.
async fn member_for(
    portal: &Portal,
    members: &mut Vec<(&'static str, i64)>,
    card: &'static DemoCard,
) -> PortalResult<i64> {
    if let Some((_, id)) = members.iter().find(|(email, _)| *email == card.email) {
        return Ok(*id);
    }
    let id = insert_member(portal, card).await?;
    members.push((card.email, id));
    Ok(id)
}

async fn insert_member(portal: &Portal, card: &DemoCard) -> PortalResult<i64> {
    let member_id = portal
        .db
        .insert_member(card.name_ja, card.name_en, card.birth_date, card.email)
        .await?;
    let d = &card.details;
    let details = MemberDetails {
        name_ja: card.name_ja.into(),
        name_kana: d.name_kana.into(),
        name_en: card.name_en.into(),
        birth_date: card.birth_date.into(),
        email: card.email.into(),
        postal_code: d.postal_code.into(),
        prefecture: d.prefecture.into(),
        city: d.city.into(),
        address_line1: d.line1.into(),
        address_line2: d.line2.into(),
        home_phone: d.home_phone.into(),
        mobile_phone: d.mobile_phone.into(),
        employer_name: d.employer_name.into(),
        employer_phone: d.employer_phone.into(),
    };
    portal.db.seed_details(member_id, &details).await?;
    Ok(member_id)
}

async fn insert_card(
    portal: &Portal,
    account_id: i64,
    member_id: i64,
    card: &DemoCard,
    family: bool,
) -> PortalResult<i64> {
    let number = parse_number(card.number);
    let front = parse_code(card.front_code, FRONT_CODE_LEN).expect("demo front code has 4 digits");
    let back = parse_code(card.back_code, BACK_CODE_LEN).expect("demo back code has 3 digits");
    let number_mac = portal.keys.card_number_mac(&number);
    Ok(portal
        .db
        .insert_card(
            account_id,
            member_id,
            &number_mac,
            number.last_digits(),
            &portal.keys.card_code_mac(&number_mac, "front", &front),
            &portal.keys.card_code_mac(&number_mac, "back", &back),
            family,
        )
        .await?)
}
