//! The words for every reply code the server sends, in both languages.

use portal_domain::activity::{FilterProblem, MemoProblem};
use portal_domain::api::{Field, PasskeyRefusal, PolicyView, Problem, Refusal};
use portal_domain::card::{CardNumberError, CodeError};
use portal_domain::credentials::{PasswordProblem, UserIdError};
use portal_domain::details::DetailProblem;
use portal_domain::family::{FamilyProblem, MAX_PER_ACCOUNT};
use portal_domain::money::format_count;
use portal_domain::otp::CodeRefusal;
use portal_domain::passkey::{CeremonyRefusal, NameProblem};
use portal_domain::payments::PlanProblem;
use portal_domain::pin::PinProblem;
use portal_domain::points::{PartnerNumberProblem, PointsProblem};

use crate::passkey::BrowserRefusal;

use crate::i18n::{Lang, Text, format_moment, use_policy};

pub fn problem(field: Field, problem: Problem) -> Text {
    match problem {
        Problem::Required => match field {
            Field::CardNumber => {
                Text::new("カード番号を入力してください。", "Enter your card number.")
            }
            Field::FrontCode => Text::new(
                "カード表面の4桁のコードを入力してください。",
                "Enter the 4-digit code on the front of your card.",
            ),
            Field::BirthDate => {
                Text::new("生年月日を入力してください。", "Enter your date of birth.")
            }
            Field::UserId => Text::new("ユーザーIDを入力してください。", "Enter your user ID."),
            Field::Password => Text::new("パスワードを入力してください。", "Enter your password."),
            Field::PasswordConfirm => Text::new(
                "確認のため、もう一度パスワードを入力してください。",
                "Enter the password again to confirm it.",
            ),
            Field::Code => Text::new(
                "ワンタイムコードを入力してください。",
                "Enter the one-time code.",
            ),
            Field::PasskeyName => Text::new(
                "パスキーの名前を入力してください。",
                "Give the passkey a name.",
            ),
            Field::Memo | Field::Category => {
                Text::new("カテゴリーを選んでください。", "Choose a category.")
            }
            Field::Charges => Text::new("ご利用を選んでください。", "Choose a charge."),
            Field::Plan => Text::new(
                "お支払いコースまたは回数を選んでください。",
                "Choose a course or a number of payments.",
            ),
            Field::Amount => Text::new("金額を入力してください。", "Enter an amount."),
            Field::Points => Text::new(
                "ポイント数を入力してください。",
                "Enter a number of points.",
            ),
            Field::PartnerNumber => Text::new(
                "提携プログラムの会員番号を入力してください。",
                "Enter your member number for the program.",
            ),
            Field::Item => Text::new("商品を選んでください。", "Choose an item."),
            Field::PostalCode => {
                Text::new("郵便番号を入力してください。", "Enter the postal code.")
            }
            Field::Prefecture => Text::new("都道府県を選んでください。", "Choose the prefecture."),
            Field::City => Text::new("市区町村を入力してください。", "Enter the city."),
            Field::AddressLine1 => Text::new(
                "町名・番地を入力してください。",
                "Enter the town and block number.",
            ),
            Field::AddressLine2 | Field::HomePhone | Field::EmployerName | Field::EmployerPhone => {
                Text::new("入力してください。", "Fill this in.")
            }
            Field::MobilePhone => Text::new(
                "携帯電話番号を入力してください。",
                "Enter the mobile number.",
            ),
            Field::Email => Text::new(
                "メールアドレスを入力してください。",
                "Enter the e-mail address.",
            ),
            Field::BackCode => Text::new(
                "カード裏面の3桁のコードを入力してください。",
                "Enter the 3-digit code on the back of your card.",
            ),
            Field::Pin | Field::PinConfirm => {
                Text::new("暗証番号を入力してください。", "Enter the PIN.")
            }
            Field::NameJa => Text::new("氏名を入力してください。", "Enter the name."),
            Field::NameKana => Text::new(
                "フリガナを入力してください。",
                "Enter the name in katakana.",
            ),
            Field::NameEn => Text::new(
                "カードに記載するローマ字の氏名を入力してください。",
                "Enter the name for the card in Latin letters.",
            ),
            Field::Relationship => Text::new("続柄を選んでください。", "Choose the relationship."),
        },
        Problem::CardNumber(e) => match e {
            CardNumberError::Empty => {
                Text::new("カード番号を入力してください。", "Enter your card number.")
            }
            CardNumberError::NotDigits => Text::new(
                "カード番号は数字で入力してください。",
                "The card number can only contain digits.",
            ),
            CardNumberError::WrongLength => {
                Text::new("カード番号は15桁です。", "The card number has 15 digits.")
            }
            CardNumberError::ChecksumFailed => Text::new(
                "カード番号に誤りがあります。カードをご確認のうえ、もう一度入力してください。",
                "This card number is not valid. Check your card and type it again.",
            ),
        },
        Problem::Code(e) => match e {
            CodeError::Empty => Text::new("コードを入力してください。", "Enter the code."),
            CodeError::NotDigits => Text::new(
                "コードは数字で入力してください。",
                "The code can only contain digits.",
            ),
            CodeError::WrongLength => Text::new(
                "カード表面の4桁の数字を入力してください。",
                "Enter the 4 digits printed on the front of your card.",
            ),
        },
        Problem::BirthDateInvalid => Text::new(
            "生年月日を正しく入力してください。",
            "Enter a valid date of birth.",
        ),
        Problem::UserId(e) => match e {
            UserIdError::Empty => Text::new("ユーザーIDを入力してください。", "Enter a user ID."),
            UserIdError::TooShort => {
                let min = use_policy().user_id_min;
                Text::new(
                    format!("ユーザーIDは{min}文字以上にしてください。"),
                    format!("The user ID needs at least {min} characters."),
                )
            }
            UserIdError::TooLong => {
                let max = use_policy().user_id_max;
                Text::new(
                    format!("ユーザーIDは{max}文字以内にしてください。"),
                    format!("The user ID can have at most {max} characters."),
                )
            }
            UserIdError::InvalidCharacters => Text::new(
                "ユーザーIDには半角英字と数字のみ使えます（スペース・記号は使えません）。",
                "Use only letters (A–Z) and digits, without spaces or symbols.",
            ),
        },
        Problem::Password(p) => match p {
            PasswordProblem::TooShort => {
                let min = use_policy().password_min;
                Text::new(
                    format!("パスワードは{min}文字以上にしてください。"),
                    format!("The password needs at least {min} characters."),
                )
            }
            PasswordProblem::TooLong => {
                Text::new("パスワードが長すぎます。", "The password is too long.")
            }
            PasswordProblem::NeedsLetter => Text::new(
                "英字を1文字以上含めてください。",
                "Include at least one letter.",
            ),
            PasswordProblem::NeedsDigit => Text::new(
                "数字を1文字以上含めてください。",
                "Include at least one digit.",
            ),
            PasswordProblem::InvalidCharacters => {
                Text::new("スペースは使えません。", "Spaces cannot be used.")
            }
            PasswordProblem::ContainsUserId => Text::new(
                "パスワードにユーザーIDを含めないでください。",
                "The password must not contain your user ID.",
            ),
            PasswordProblem::TooWeak => Text::new(
                "推測されやすいパスワードです。よく使われる語や並びを避け、長くしてください。",
                "This password is too easy to guess. Avoid common words and patterns, and make it longer.",
            ),
        },
        Problem::PasswordMismatch => {
            Text::new("パスワードが一致しません。", "The passwords do not match.")
        }
        Problem::OneTimeCodeFormat => Text::new(
            "ワンタイムコードは6桁の数字です。",
            "The one-time code has 6 digits.",
        ),
        Problem::PasskeyName(NameProblem::Empty) => Text::new(
            "パスキーの名前を入力してください。",
            "Give the passkey a name.",
        ),
        Problem::PasskeyName(NameProblem::TooLong) => Text::new(
            "パスキーの名前は40文字以内にしてください。",
            "The name can have at most 40 characters.",
        ),
        Problem::Memo(MemoProblem::TooLong) => Text::new(
            "メモは100文字以内にしてください。",
            "A memo can have at most 100 characters.",
        ),
        Problem::UnknownCategory => Text::new(
            "一覧からカテゴリーを選んでください。",
            "Choose a category from the list.",
        ),
        Problem::Plan(p) => plan_problem(p),
        Problem::AmountInvalid => Text::new(
            "金額は1円以上の数字で入力してください（例：300000）。",
            "Enter the amount in yen as a number above zero (for example 300000).",
        ),
        Problem::Points(PointsProblem::TooFew { min }) => Text::new(
            format!("{}ポイント以上でご利用ください。", format_count(min)),
            format!("Use at least {} points.", format_count(min)),
        ),
        Problem::Points(PointsProblem::Step { step }) => Text::new(
            format!("{}ポイント単位でご利用ください。", format_count(step)),
            format!("Use points in steps of {}.", format_count(step)),
        ),
        Problem::Points(PointsProblem::MoreThanBill { max }) => Text::new(
            format!(
                "ご請求額を超えて充当することはできません。今回は{}ポイントまでご利用いただけます。",
                format_count(max)
            ),
            format!(
                "Points cannot exceed the bill. You can use up to {} points this time.",
                format_count(max)
            ),
        ),
        Problem::PartnerNumber(p) => match p {
            PartnerNumberProblem::Empty => {
                Text::new("会員番号を入力してください。", "Enter your member number.")
            }
            PartnerNumberProblem::NotDigits => Text::new(
                "会員番号は数字で入力してください。",
                "The member number can only contain digits.",
            ),
            PartnerNumberProblem::Length { digits } => Text::new(
                format!("このプログラムの会員番号は{digits}桁の数字です。"),
                format!("This program's member numbers have {digits} digits."),
            ),
        },
        Problem::UnknownItem => Text::new(
            "一覧から商品を選んでください。",
            "Choose an item from the catalog.",
        ),
        Problem::Detail(p) => detail_problem(p),
        Problem::Pin(p) => pin_problem(p),
        Problem::Family(p) => family_problem(p),
    }
}

fn family_problem(problem: FamilyProblem) -> Text {
    match problem {
        FamilyProblem::KanaOnly => Text::new(
            "フリガナはカタカナで入力してください。",
            "Write the name in katakana.",
        ),
        FamilyProblem::LatinOnly => Text::new(
            "ローマ字（A〜Z）で入力してください。",
            "Use Latin letters (A to Z).",
        ),
        FamilyProblem::TooLong => Text::new(
            "入力が長すぎます。短くしてください。",
            "This is too long. Shorten it.",
        ),
        FamilyProblem::BadCharacters => Text::new(
            "氏名に数字や記号は使えません。",
            "A name cannot contain digits or symbols.",
        ),
        FamilyProblem::BirthDate => Text::new(
            "生年月日を正しく入力してください。",
            "Enter a valid date of birth.",
        ),
        FamilyProblem::TooYoung => Text::new(
            "家族カードは18歳以上の方がお申し込みいただけます。",
            "A family card's holder must be 18 or older.",
        ),
        FamilyProblem::UnknownRelationship => Text::new(
            "一覧から続柄を選んでください。",
            "Choose the relationship from the list.",
        ),
    }
}

fn pin_problem(problem: PinProblem) -> Text {
    match problem {
        PinProblem::Format => Text::new(
            "暗証番号は4桁の数字で入力してください。",
            "The PIN is 4 digits.",
        ),
        PinProblem::AllSame => Text::new(
            "同じ数字だけの暗証番号は登録できません。",
            "A PIN of one digit repeated cannot be used.",
        ),
        PinProblem::Run => Text::new(
            "連続した数字（1234など）は登録できません。",
            "A run of digits (such as 1234) cannot be used.",
        ),
        PinProblem::BirthDate => Text::new(
            "誕生日（月日）や生まれた年は登録できません。",
            "Your birthday or year of birth cannot be used.",
        ),
        PinProblem::Mismatch => Text::new(
            "確認のための暗証番号が一致しません。",
            "The two PINs do not match.",
        ),
    }
}

fn detail_problem(problem: DetailProblem) -> Text {
    match problem {
        DetailProblem::PostalCodeFormat => Text::new(
            "郵便番号は7桁の数字で入力してください（例: 123-4567）。",
            "Enter the postal code as 7 digits (for example 123-4567).",
        ),
        DetailProblem::UnknownPrefecture => Text::new(
            "一覧から都道府県を選んでください。",
            "Choose a prefecture from the list.",
        ),
        DetailProblem::PhoneFormat => Text::new(
            "電話番号は0から始まる10桁または11桁の数字で入力してください（例: 03-1234-5678）。",
            "Enter a Japanese phone number: 10 or 11 digits starting with 0 (for example 03-1234-5678).",
        ),
        DetailProblem::MobileFormat => Text::new(
            "携帯電話番号は070・080・090から始まる11桁で入力してください（例: 090-1234-5678）。",
            "Enter a mobile number: 11 digits starting with 070, 080 or 090 (for example 090-1234-5678).",
        ),
        DetailProblem::EmailFormat => Text::new(
            "メールアドレスの形式が正しくありません（例: name@example.jp）。",
            "This does not look like an e-mail address (for example name@example.jp).",
        ),
        DetailProblem::TooLong => Text::new("長すぎます。短くしてください。", "This is too long."),
        DetailProblem::BadCharacters => Text::new(
            "使用できない文字が含まれています。",
            "This contains characters that cannot be used.",
        ),
        DetailProblem::Unchanged => Text::new(
            "現在ご登録のものと同じです。",
            "This is what is registered already.",
        ),
        DetailProblem::NotThisPostalCode => Text::new(
            "郵便番号と都道府県が一致しません。郵便番号から住所を検索してください。",
            "The postal code belongs to another prefecture. Look the address up from the postal code.",
        ),
    }
}

fn plan_problem(problem: PlanProblem) -> Text {
    match problem {
        PlanProblem::UnknownCourse => Text::new(
            "一覧からお支払いコース（毎月の金額）を選んでください。",
            "Choose a monthly amount from the list.",
        ),
        PlanProblem::UnknownCount => Text::new(
            "一覧からお支払い回数を選んでください。",
            "Choose a number of payments from the list.",
        ),
        PlanProblem::ChooseCharges => Text::new(
            "あとリボは1件以上、分割払いは1件だけご利用を選んでください。",
            "Choose one or more charges for revolving, exactly one for instalments.",
        ),
        PlanProblem::TooSmall => Text::new(
            "この金額のご利用は変更できません。",
            "Charges this small cannot be changed.",
        ),
    }
}

pub fn refusal(refusal: Refusal) -> Text {
    match refusal {
        Refusal::CardNotMatched => Text::new(
            "入力された情報に一致するカードが見つかりません。カード番号、カード表面の4桁のコード、生年月日をご確認ください。",
            "We could not find a card matching these details. Check the card number, the 4-digit code on the front and your date of birth.",
        ),
        Refusal::AlreadyRegistered => Text::new(
            "このカードはすでにオンライン・サービスに登録されています。",
            "This card already has an online account.",
        ),
        Refusal::NotRegistered => Text::new(
            "このカードはまだオンライン・サービスに登録されていません。",
            "This card does not have an online account yet.",
        ),
        Refusal::UserIdTaken => Text::new(
            "このユーザーIDはすでに使われています。別のIDを選んでください。",
            "This user ID is taken. Choose another one.",
        ),
        Refusal::BadCredentials { remaining } => Text::new(
            format!(
                "ユーザーIDまたはパスワードが正しくありません。あと{remaining}回間違えるとロックされます。"
            ),
            format!(
                "The user ID or password is not correct. {remaining} more wrong {} will lock the account.",
                if remaining == 1 {
                    "attempt"
                } else {
                    "attempts"
                }
            ),
        ),
        Refusal::Locked => Text::new(
            "パスワードを続けて間違えたため、アカウントがロックされています。",
            "Your account is locked because the password was entered wrongly too many times.",
        ),
        Refusal::TryAgain => Text::new(
            "同じIDまたはカードで確認中の操作があります。少し待ってからもう一度お試しください。",
            "Another attempt with the same ID or card is being checked. Wait a moment and try again.",
        ),
        Refusal::IdentityLocked { until } => Text::new(
            format!(
                "このカードの本人確認は、続けて一致しなかったため{}まで停止しています。お急ぎの場合はカード裏面の電話番号へお問い合わせください。",
                format_moment(Lang::Ja, until)
            ),
            format!(
                "Identity checks for this card are stopped until {} after too many that did not match. If it is urgent, call the number on the back of your card.",
                format_moment(Lang::En, until)
            ),
        ),
        Refusal::RateLimited { retry_after_secs } => Text::new(
            format!(
                "短時間に操作が集中しています。{retry_after_secs}秒ほど待ってからもう一度お試しください。"
            ),
            format!(
                "Too many attempts in a short time. Wait about {retry_after_secs} seconds and try again."
            ),
        ),
        Refusal::FlowExpired => Text::new(
            "手続きの有効期限が切れたか、まだ本人確認が済んでいません。最初からやり直してください。",
            "This step has expired or identity was not checked yet. Please start again.",
        ),
        Refusal::Code(c) => match c {
            CodeRefusal::Expired => {
                let minutes = PolicyView::minutes(use_policy().code_ttl_secs);
                Text::new(
                    format!(
                        "ワンタイムコードの有効期限（{minutes}分）が切れました。コードを再送してください。"
                    ),
                    format!(
                        "The one-time code has expired (it is valid for {minutes} minutes). Send a new code."
                    ),
                )
            }
            CodeRefusal::AlreadyUsed => Text::new(
                "このワンタイムコードはすでに使用されています。",
                "This one-time code has already been used.",
            ),
            CodeRefusal::TooManyAttempts => {
                let times = use_policy().code_max_entries;
                Text::new(
                    format!(
                        "ワンタイムコードを{times}回間違えたため、このコードは使えなくなりました。コードを再送してください。"
                    ),
                    format!(
                        "The code was entered wrongly {times} times and can no longer be used. Send a new code."
                    ),
                )
            }
            CodeRefusal::Wrong { remaining } => Text::new(
                format!("ワンタイムコードが正しくありません。あと{remaining}回入力できます。"),
                format!("The one-time code is not correct. You can try {remaining} more times."),
            ),
        },
        Refusal::ResendWait { secs } => Text::new(
            format!("コードの再送は{secs}秒後にできます。"),
            format!("You can ask for a new code in {secs} seconds."),
        ),
        Refusal::TooManyResends => Text::new(
            "コードの再送回数の上限に達しました。最初からやり直してください。",
            "No more codes can be sent for this request. Please start again.",
        ),
        Refusal::SignedOut => Text::new(
            "ログインの有効期限が切れました。もう一度ログインしてください。",
            "Your session has ended. Please sign in again.",
        ),
        Refusal::Held => Text::new(
            "現在このアカウントではログインできません。カード裏面の会員専用ダイヤルへお問い合わせください。",
            "This account cannot be signed in to at the moment. Please call the member line on the back of your card.",
        ),
        Refusal::ConfirmationNeeded => Text::new(
            "安全のため、パスワードまたはワンタイムコードでご本人確認をお願いします。",
            "For your security, confirm it is you with your password or a one-time code first.",
        ),
        Refusal::Passkey(p) => passkey_refusal(p),
        Refusal::Filter(p) => filter_problem(p),
        Refusal::CardNotFound => Text::new(
            "このカードはお手続きいただけません。",
            "This card is not one you can manage here.",
        ),
        Refusal::AlreadyApplied => Text::new(
            "この方の家族カードはすでにお申し込みいただいています。",
            "A family card was already applied for for this person.",
        ),
        Refusal::TooManyApplications => Text::new(
            format!("1つの口座でお申し込みいただける家族カードは{MAX_PER_ACCOUNT}枚までです。"),
            format!("One account can apply for at most {MAX_PER_ACCOUNT} family cards."),
        ),
        Refusal::CardAlreadyAdded => Text::new(
            "このカードはすでに会員ポータルでご覧いただけます。",
            "This card is already in your member portal.",
        ),
        Refusal::LineNotFound => Text::new(
            "このご利用明細は見つかりません。",
            "This line was not found.",
        ),
        Refusal::HolderOnly => Text::new(
            "お支払いとポイントのお手続きは、基本カード会員さまのみご利用いただけます。",
            "Payments and points are managed by the main card member only.",
        ),
        Refusal::NotEligible => Text::new(
            "このご利用は変更できません（お支払い済み、変更済み、または別の画面で変更されました）。画面を更新してご確認ください。",
            "This charge can no longer be changed (paid, already changed, or changed in another window). Refresh to see where it stands.",
        ),
        Refusal::PastCutoff => Text::new(
            "お支払い金額が確定したため、取り消しできません。",
            "The payment amount is already fixed, so this can no longer be undone.",
        ),
        Refusal::NotEnoughPoints => {
            Text::new("ポイントが足りません。", "You do not have enough points.")
        }
        Refusal::PartnerNotLinked => Text::new(
            "先にこのプログラムの会員番号をご登録ください。",
            "Link your member number for this program first.",
        ),
        Refusal::PreviewChanged => Text::new(
            "表示した内容から手数料またはお支払い開始日が変わりました。もう一度ご確認ください。",
            "The fee or the first payment has changed since it was shown. Please check it again.",
        ),
        Refusal::PinAlreadyRegistered => Text::new(
            "このカードの暗証番号は登録済みです。登録済みの暗証番号は変更できません。",
            "This card's PIN is already registered. A registered PIN cannot be changed.",
        ),
        Refusal::CardCodesNotMatched => Text::new(
            "カードのコードが一致しません。カード表面の4桁と裏面の3桁のコードをご確認ください。",
            "These are not the card's codes. Check the 4 digits on the front and the 3 on the back.",
        ),
        Refusal::PinNotRegistered => Text::new(
            "このカードの暗証番号はまだ登録されていません。",
            "This card has no PIN yet.",
        ),
        Refusal::SmsUnavailable => Text::new(
            "現在SMSを送信できません。しばらくしてからお試しいただくか、カード裏面のお問い合わせ先へご連絡ください。",
            "We cannot send text messages at the moment. Try again later, or call the number on the back of your card.",
        ),
    }
}

fn filter_problem(problem: FilterProblem) -> Text {
    match problem {
        FilterProblem::BadDate => Text::new("日付を正しく入力してください。", "Enter valid dates."),
        FilterProblem::DatesReversed => Text::new(
            "開始日は終了日より前にしてください。",
            "The start date must come before the end date.",
        ),
        FilterProblem::BadAmount => Text::new(
            "金額は数字で入力してください。",
            "Enter amounts as numbers.",
        ),
        FilterProblem::AmountsReversed => Text::new(
            "下限の金額は上限以下にしてください。",
            "The lowest amount must not exceed the highest.",
        ),
    }
}

/// The name of a category code.
pub fn category(code: &str) -> Text {
    let (ja, en) = match code {
        "groceries" => ("食料品・日用品", "Groceries"),
        "dining" => ("飲食", "Dining"),
        "transport" => ("交通", "Transport"),
        "shopping" => ("ショッピング", "Shopping"),
        "utilities" => ("公共料金・通信", "Utilities and phone"),
        "entertainment" => ("娯楽", "Entertainment"),
        "travel" => ("旅行", "Travel"),
        "health" => ("医療・健康", "Health"),
        "education" => ("教育", "Education"),
        _ => ("その他", "Other"),
    };
    Text::new(ja, en)
}

fn passkey_refusal(refusal: PasskeyRefusal) -> Text {
    match refusal {
        PasskeyRefusal::Ceremony(CeremonyRefusal::Expired) => Text::new(
            "生体認証の有効時間が過ぎました。もう一度お試しください。",
            "The passkey request timed out. Please try again.",
        ),
        PasskeyRefusal::Ceremony(_) => Text::new(
            "生体認証の手続きを確認できませんでした。もう一度お試しください。",
            "We could not match this passkey request. Please try again.",
        ),
        PasskeyRefusal::NotRecognised => Text::new(
            "このパスキーは登録されていません。ユーザーIDとパスワードでログインしてください。",
            "This passkey is not registered with us. Sign in with your user ID and password.",
        ),
        PasskeyRefusal::Rejected => Text::new(
            "生体認証を確認できませんでした。もう一度お試しいただくか、ユーザーIDとパスワードでログインしてください。",
            "We could not verify the passkey. Try again, or sign in with your user ID and password.",
        ),
        PasskeyRefusal::CounterRegressed => Text::new(
            "安全のため、このパスキーは使えません。パスワードでログインし、セキュリティ設定からこのパスキーを削除してください。",
            "For your security this passkey cannot be used. Sign in with your password and remove it in security settings.",
        ),
        PasskeyRefusal::AlreadyRegistered => Text::new(
            "この端末のパスキーはすでに登録されています。",
            "A passkey from this device is already registered.",
        ),
        PasskeyRefusal::NotFound => Text::new(
            "このパスキーは見つかりません。すでに削除されている可能性があります。",
            "This passkey was not found. It may already have been removed.",
        ),
    }
}

/// Why the browser's prompt produced no passkey.
pub fn browser_refusal(refusal: BrowserRefusal) -> Text {
    match refusal {
        BrowserRefusal::Cancelled | BrowserRefusal::Aborted => Text::new(
            "生体認証が完了しませんでした。もう一度お試しください。",
            "The fingerprint, face or screen lock check did not finish. Please try again.",
        ),
        BrowserRefusal::AlreadyRegistered => passkey_refusal(PasskeyRefusal::AlreadyRegistered),
        BrowserRefusal::Unsupported => Text::new(
            "この端末またはブラウザでは生体認証（パスキー）を使えません。",
            "Passkeys (fingerprint, face or screen lock) are not available on this device or browser.",
        ),
        BrowserRefusal::Failed => Text::new(
            "生体認証を完了できませんでした。もう一度お試しください。",
            "The passkey could not be used. Please try again.",
        ),
    }
}

pub fn unavailable() -> Text {
    Text::new(
        "ただいま処理できません。しばらくしてからもう一度お試しください。",
        "We cannot process this right now. Please try again in a moment.",
    )
}
