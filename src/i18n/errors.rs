//! Errors and problems in the user's language, translated from their
//! fields (never from the engine's English text).

use super::{field, Lang, JA};
use ltv_engine::calendar::Granularity;
use ltv_engine::error::{
    Error, ErrorKind, FileKind, Param, Problem, ProblemKind, SettingError, Unit,
};
use ltv_engine::mapping::Field;
use ltv_engine::rfm::Dimension;

fn expected(lang: Lang, k: ProblemKind) -> &'static str {
    match (lang, k) {
        (Lang::En, k) => k.expected(),
        (Lang::Ja, ProblemKind::InvalidDate) => "2024-03-05、2024/3/5、20240305 などの日付",
        (Lang::Ja, ProblemKind::InvalidAmount) => "1234、1,234、¥1,234、1,234円 などの金額",
        (Lang::Ja, ProblemKind::ShortRow) => "見出し行と同じ数の列",
        (Lang::Ja, ProblemKind::RoundedAmount) => "通貨の桁数以内の小数（丸めました）",
    }
}

/// One problem, with its line and column.
pub fn problem(lang: Lang, p: &Problem) -> String {
    if p.kind == ProblemKind::ShortRow {
        let (got, want) = p.value.split_once('/').unwrap_or((&p.value, "?"));
        return match lang {
            Lang::En => format!(
                "Line {}: the row has {got} fields but the header has {want} (a missing delimiter or an unclosed quote?).",
                p.line
            ),
            Lang::Ja => format!(
                "{}行目: 列が {got} 個しかありません（見出し行は {want} 列）。区切り文字の欠落か、閉じていない引用符がないか確認してください。",
                p.line
            ),
        };
    }
    let col = if p.column.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(", column \"{}\"", p.column),
            Lang::Ja => format!("・列「{}」", p.column),
        }
    };
    match lang {
        Lang::En => format!(
            "Line {}{}: found \"{}\", expected {}.",
            p.line,
            col,
            p.value,
            expected(lang, p.kind)
        ),
        Lang::Ja => format!(
            "{}行目{}: 「{}」は読み取れません。{}を想定しています。",
            p.line,
            col,
            p.value,
            expected(lang, p.kind)
        ),
    }
}

/// A fatal error in the user's language, from its fields.
pub fn error(lang: Lang, e: &ErrorKind) -> String {
    match (lang, e) {
        (Lang::En, ErrorKind::Empty) => "The file is empty.".into(),
        (Lang::Ja, ErrorKind::Empty) => "ファイルが空です。".into(),
        (Lang::En, ErrorKind::NotTabular { looks_like }) => format!(
            "This is not a CSV or TSV order export (it looks like {}). Export your orders as CSV from your shop system and drop that file.",
            looks_like.english()
        ),
        (Lang::Ja, ErrorKind::NotTabular { looks_like }) => format!(
            "CSV・TSV形式の受注データではありません（{}のようです）。ショップの管理画面から受注データをCSVでエクスポートして、そのファイルをドロップしてください。",
            file_kind_ja(*looks_like)
        ),
        (Lang::En, ErrorKind::MappingNeeded { missing }) => format!(
            "Could not recognise the columns for: {}. Choose them below.",
            missing.iter().map(|&f| field(lang, f)).collect::<Vec<_>>().join(", ")
        ),
        (Lang::Ja, ErrorKind::MappingNeeded { missing }) => format!(
            "必要な列（{}）を認識できませんでした。下で列を選んでください。",
            missing.iter().map(|&f| field(lang, f)).collect::<Vec<_>>().join("、")
        ),
        (Lang::En, ErrorKind::BadMapping { field, column, columns }) => format!(
            "Column mapping: {} is mapped to column {column} but the header has {columns} columns.",
            field.map_or("a customer key part", Field::name)
        ),
        (Lang::Ja, ErrorKind::BadMapping { field, column, columns }) => format!(
            "列の対応に誤りがあります: {}が{column}列目に対応付けられていますが、見出し行は{columns}列です。",
            field.map_or("顧客キーの一部".to_string(), |f| format!("「{}」", self::field(lang, f)))
        ),
        (Lang::En, ErrorKind::NoOrders) => "No usable order in the file: every row was excluded or could not be read.".into(),
        (Lang::Ja, ErrorKind::NoOrders) => "使える注文がありません。すべての行が除外されたか、読み取れませんでした。".into(),
        (Lang::En, ErrorKind::InvalidSetting { error }) => format!("Setting: {error}."),
        (Lang::Ja, ErrorKind::InvalidSetting { error }) => {
            format!("設定に誤りがあります: {}", setting_error_ja(error))
        }
        // A kind newer than this table: the engine's English words.
        (_, e) => format!("{}.", Error::new(e.clone())),
    }
}

/// What a file looks like, in Japanese.
fn file_kind_ja(k: FileKind) -> &'static str {
    match k {
        FileKind::ZipOrXlsx => "ZIPファイルまたはExcelブック（.xlsx）",
        FileKind::Xls => "古い形式のExcelブック（.xls）",
        FileKind::Pdf => "PDF",
        FileKind::Png => "PNG画像",
        FileKind::Jpeg => "JPEG画像",
        FileKind::Gif => "GIF画像",
        FileKind::Gzip => "gzip圧縮ファイル",
        FileKind::Rar => "RARファイル",
        FileKind::SevenZip => "7-Zipファイル",
        FileKind::Binary => "バイナリデータ",
        FileKind::UnreadableWorkbook => "読み込めないZIPファイルまたはブック",
        // A kind newer than this table.
        k => k.english(),
    }
}

/// A setting's name in Japanese.
fn setting_ja(s: Param) -> &'static str {
    match s {
        Param::LtvHorizon => "LTVの期間",
        Param::GrossMargin => "粗利率",
        Param::Cpa => "CPA",
        Param::ChurnDays => "離脱判定の日数",
        Param::TenureHorizon => "在籍期間の上限",
        Param::F2Within => "F2の日数の上限",
        Param::DecileGrowthRule => "デシルの伸びの目安",
        Param::TargetBaseline => "目標の基準値",
        Param::TargetGrowth => "目標の伸び率",
        Param::TargetHorizon => "目標の期間",
        Param::CpmToddlerDays => "CPMの「よちよち」とする在籍日数",
        Param::CpmLoyalDays => "CPMの「優良」とする在籍日数",
        Param::CpmSpend => "CPMの累計購入金額の基準",
        Param::ChurnRiskFactor => "離脱予兆の倍率（購買間隔の中央値に掛ける数）",
        Param::ChurnRiskFloor => "離脱予兆の最短日数",
        Param::CrossSellWithin => "併売の日数の上限",
        Param::CrossSellMinSupport => "併売の最小件数",
        Param::ClvHorizon => "予測LTVの期間",
        Param::ClvDiscount => "予測LTVの月次割引率",
        _ => "設定",
    }
}

/// Why a setting cannot be used, in Japanese.
fn setting_error_ja(e: &SettingError) -> String {
    match e {
        SettingError::OutOfRange { setting, value, range } => {
            let unit = match setting.unit() {
                Unit::Months => "か月",
                Unit::Days => "日",
                _ => "",
            };
            let example = match setting {
                Param::GrossMargin => "35%なら0.35",
                Param::DecileGrowthRule => "+2%なら0.02",
                Param::TargetGrowth => "+7%なら0.07",
                Param::ClvDiscount => "1%なら0.01",
                _ => "",
            };
            let allowed = match (range.min, range.max) {
                (Some(lo), Some(hi)) if range.min_included => format!("{lo}〜{hi}{unit}"),
                (Some(lo), Some(hi)) => format!("{lo}より大きく{hi}以下の小数（{example}）"),
                (Some(lo), None) if range.min_included => format!("{lo}以上"),
                (Some(0.0), None) => "正の金額".to_string(),
                (Some(lo), None) => format!("{lo}より大きい数"),
                (None, Some(hi)) => format!("{hi}{unit}以下"),
                (None, None) => "数値".to_string(),
            };
            format!(
                "{}は{allowed}で指定してください（{value}は使えません）。",
                setting_ja(*setting)
            )
        }
        SettingError::WindowReversed { from, to } => {
            format!("集計期間の開始日（{from}）が終了日（{to}）より後です。")
        }
        SettingError::SpanTooLong { first_order, as_of, days, max_days } => format!(
            "最初の注文（{first_order}）から基準日（{as_of}）まで {days} 日あります。扱えるのは {max_days} 日（400年）までです。"
        ),
        SettingError::CohortTooLarge { granularity, cells, max_cells } => {
            let unit = match granularity {
                Granularity::Week => JA.gran_week,
                Granularity::Month => JA.gran_month,
                Granularity::Quarter => JA.gran_quarter,
            };
            format!(
                "{unit}単位のコホート表が {cells} セルになります（上限 {max_cells}）。より長い単位か、より後の基準日を選んでください。"
            )
        }
        SettingError::FedAfterEnd => {
            "ファイルの終わりの後にデータが渡されました（アプリの不具合です）。".into()
        }
        SettingError::RfmCutsNotAscending { dimension, cuts } => {
            let name = match dimension {
                Dimension::R => "R（最終購入からの日数）",
                Dimension::F => "F（注文回数）",
                Dimension::M => "M（購入金額）",
            };
            let cuts: Vec<String> = cuts.iter().map(|c| c.to_string()).collect();
            format!(
                "RFMの{name}の区切りは、小さい順に並んだ4つの数で指定してください（{}は使えません）。",
                cuts.join(",")
            )
        }
        SettingError::CpmTenureReversed {
            toddler_days,
            loyal_days,
        } => format!(
            "CPMの「よちよち」の在籍日数（{toddler_days}日）は「優良」の在籍日数（{loyal_days}日）以下にしてください。"
        ),
        // A kind newer than this table: the engine's English words.
        e => e.to_string(),
    }
}
