//! The engine's one error type.
//!
//! Every error carries a [`ErrorKind`] (what went wrong, as data the UI can
//! translate) and, where it applies, a position in the input: the 1-based
//! physical line of the file and the column's header name. The engine never
//! panics on input; it returns these.

use crate::calendar::Granularity;
use crate::mapping::Field;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong. The UI translates each kind into the user's language
/// from its fields; [`Error`]'s `Display` is the English text the CLI
/// prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is empty (no bytes, or only a byte-order mark / blank lines).
    Empty,
    /// The bytes are not a text table (a zip, an image, a PDF, binary data).
    NotTabular { looks_like: FileKind },
    /// The header row was read, but no column could be found for a required
    /// field; the user must map columns by hand.
    MappingNeeded { missing: Vec<Field> },
    /// A mapping named a column that the header does not have.
    BadMapping {
        /// The field mapped to it; `None` for a part of the customer key
        /// (`ColumnMapping::key_extra`).
        field: Option<Field>,
        /// The column, 1-based.
        column: usize,
        /// The header's number of columns.
        columns: usize,
    },
    /// A mapping named a column by a header the file does not have (the
    /// CLI's `--map FIELD=HEADER`).
    UnknownHeader {
        field: Field,
        header: String,
        /// The file's headers.
        headers: Vec<String>,
    },
    /// The file was read but no order could be used (every row was excluded
    /// or unreadable).
    NoOrders,
    /// A setting the engine cannot work with (a value out of range, a window
    /// that ends before it starts...).
    InvalidSetting { error: SettingError },
}

/// What a file that is not a text table looks like (from its first bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// A zip archive (an .xlsx workbook is one).
    ZipOrXlsx,
    /// An old Excel workbook (.xls).
    Xls,
    Pdf,
    Png,
    Jpeg,
    Gif,
    Gzip,
    Rar,
    SevenZip,
    /// Bytes that are not text in any encoding.
    Binary,
    /// A zip archive or workbook that calamine could not read.
    UnreadableWorkbook,
}

impl FileKind {
    pub const ALL: [FileKind; 11] = [
        FileKind::ZipOrXlsx,
        FileKind::Xls,
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Gzip,
        FileKind::Rar,
        FileKind::SevenZip,
        FileKind::Binary,
        FileKind::UnreadableWorkbook,
    ];

    /// The English words for it, as the CLI prints them.
    pub fn english(self) -> &'static str {
        match self {
            FileKind::ZipOrXlsx => "a zip archive or an Excel workbook (.xlsx)",
            FileKind::Xls => "an old Excel workbook (.xls)",
            FileKind::Pdf => "a PDF document",
            FileKind::Png => "a PNG image",
            FileKind::Jpeg => "a JPEG image",
            FileKind::Gif => "a GIF image",
            FileKind::Gzip => "a gzip archive",
            FileKind::Rar => "a RAR archive",
            FileKind::SevenZip => "a 7-Zip archive",
            FileKind::Binary => "binary data",
            FileKind::UnreadableWorkbook => "a zip archive or a workbook that could not be read",
        }
    }
}

/// A setting with a range of allowed values: a field of
/// `report::AnalyzeParams`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Param {
    /// `horizon_months`.
    LtvHorizon,
    /// `gross_margin`, a fraction.
    GrossMargin,
    /// `cpa`, in major units.
    Cpa,
    /// `churn_days`.
    ChurnDays,
    /// `tenure_horizon_months`.
    TenureHorizon,
    /// `f2_within_days`.
    F2Within,
    /// `decile_growth_rule`, a fraction.
    DecileGrowthRule,
    /// `targets.baseline`.
    TargetBaseline,
    /// `targets.growth`, a fraction.
    TargetGrowth,
    /// `targets.horizon`, months.
    TargetHorizon,
    /// `cpm.toddler_days`.
    CpmToddlerDays,
    /// `cpm.loyal_days`.
    CpmLoyalDays,
    /// `cpm.spend`, in major units.
    CpmSpend,
    /// `churn_risk.factor`, a plain number (× the median gap).
    ChurnRiskFactor,
    /// `churn_risk.floor_days`.
    ChurnRiskFloor,
    /// `cross_sell.within_days`.
    CrossSellWithin,
    /// `cross_sell.min_support`, transactions.
    CrossSellMinSupport,
    /// `clv.horizon_months`.
    ClvHorizon,
    /// `clv.discount`, a monthly fraction.
    ClvDiscount,
}

/// What a setting's number counts, for its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Months,
    Days,
    /// A fraction (0.35 for 35%).
    Fraction,
    /// Money, in major units.
    Amount,
    /// A plain number.
    Number,
}

/// The values a setting allows: finite, from `min` (itself allowed when
/// `min_included`) to `max` (allowed); a missing bound does not limit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub min: Option<f64>,
    pub min_included: bool,
    pub max: Option<f64>,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        let above = match self.min {
            Some(lo) if self.min_included => v >= lo,
            Some(lo) => v > lo,
            None => true,
        };
        v.is_finite() && above && self.max.is_none_or(|hi| v <= hi)
    }
}

impl Param {
    pub const ALL: [Param; 19] = [
        Param::LtvHorizon,
        Param::GrossMargin,
        Param::Cpa,
        Param::ChurnDays,
        Param::TenureHorizon,
        Param::F2Within,
        Param::DecileGrowthRule,
        Param::TargetBaseline,
        Param::TargetGrowth,
        Param::TargetHorizon,
        Param::CpmToddlerDays,
        Param::CpmLoyalDays,
        Param::CpmSpend,
        Param::ChurnRiskFactor,
        Param::ChurnRiskFloor,
        Param::CrossSellWithin,
        Param::CrossSellMinSupport,
        Param::ClvHorizon,
        Param::ClvDiscount,
    ];

    /// The values it allows.
    pub fn range(self) -> Range {
        let (min, min_included, max) = match self {
            Param::LtvHorizon => (Some(1.0), true, Some(600.0)),
            Param::GrossMargin => (Some(0.0), false, Some(1.0)),
            Param::Cpa => (Some(0.0), false, None),
            Param::ChurnDays => (Some(1.0), true, Some(36_500.0)),
            Param::TenureHorizon => (Some(1.0), true, Some(1200.0)),
            Param::F2Within => (None, true, Some(36_500.0)),
            Param::DecileGrowthRule | Param::TargetGrowth => (Some(-1.0), false, Some(10.0)),
            Param::TargetBaseline => (None, true, None),
            Param::TargetHorizon => (Some(1.0), true, Some(120.0)),
            Param::CpmToddlerDays | Param::CpmLoyalDays => (Some(1.0), true, Some(36_500.0)),
            Param::CpmSpend => (Some(0.0), true, None),
            Param::ChurnRiskFactor => (Some(1.0), true, Some(10.0)),
            Param::ChurnRiskFloor => (Some(0.0), true, Some(36_500.0)),
            Param::CrossSellWithin => (None, true, Some(36_500.0)),
            Param::CrossSellMinSupport => (Some(1.0), true, None),
            Param::ClvHorizon => (Some(1.0), true, Some(600.0)),
            Param::ClvDiscount => (Some(0.0), true, Some(1.0)),
        };
        Range {
            min,
            min_included,
            max,
        }
    }

    /// What its number counts.
    pub fn unit(self) -> Unit {
        match self {
            Param::LtvHorizon | Param::TenureHorizon | Param::TargetHorizon | Param::ClvHorizon => {
                Unit::Months
            }
            Param::ChurnDays
            | Param::F2Within
            | Param::CpmToddlerDays
            | Param::CpmLoyalDays
            | Param::ChurnRiskFloor
            | Param::CrossSellWithin => Unit::Days,
            Param::GrossMargin
            | Param::DecileGrowthRule
            | Param::TargetGrowth
            | Param::ClvDiscount => Unit::Fraction,
            Param::Cpa | Param::CpmSpend => Unit::Amount,
            Param::TargetBaseline | Param::ChurnRiskFactor | Param::CrossSellMinSupport => {
                Unit::Number
            }
        }
    }

    /// An error unless `value` is in its [range](Param::range).
    pub fn check(self, value: f64) -> Result<(), Error> {
        let range = self.range();
        if range.contains(value) {
            return Ok(());
        }
        Err(SettingError::OutOfRange {
            setting: self,
            value,
            range,
        }
        .into())
    }

    /// Its English name and, for a fraction, an example.
    fn english(self) -> (&'static str, &'static str) {
        match self {
            Param::LtvHorizon => ("LTV horizon", ""),
            Param::GrossMargin => ("gross margin", "0.35 for 35%"),
            Param::Cpa => ("CPA", ""),
            Param::ChurnDays => ("churn window", ""),
            Param::TenureHorizon => ("tenure horizon", ""),
            Param::F2Within => ("F2 limit", ""),
            Param::DecileGrowthRule => ("decile growth rule", "0.02 for +2%"),
            Param::TargetBaseline => ("target baseline", ""),
            Param::TargetGrowth => ("target growth", "0.07 for +7%"),
            Param::TargetHorizon => ("target horizon", ""),
            Param::CpmToddlerDays => ("CPM toddler tenure", ""),
            Param::CpmLoyalDays => ("CPM loyal tenure", ""),
            Param::CpmSpend => ("CPM spend threshold", ""),
            Param::ChurnRiskFactor => ("churn-risk factor", ""),
            Param::ChurnRiskFloor => ("churn-risk floor", ""),
            Param::CrossSellWithin => ("cross-sell period", ""),
            Param::CrossSellMinSupport => ("cross-sell minimum support", ""),
            Param::ClvHorizon => ("CLV horizon", ""),
            Param::ClvDiscount => ("CLV discount rate", "0.01 for 1% a month"),
        }
    }
}

/// Why a setting cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SettingError {
    /// A value outside the setting's range.
    OutOfRange {
        setting: Param,
        /// As given (not a number and infinities included).
        #[serde(with = "any_f64")]
        value: f64,
        range: Range,
    },
    /// The decile window starts after it ends.
    WindowReversed { from: NaiveDate, to: NaiveDate },
    /// From the first order to the as-of date are more days than a
    /// calendar covers (`calendar::Calendar::MAX_DAYS`).
    SpanTooLong {
        first_order: NaiveDate,
        as_of: NaiveDate,
        days: i64,
        max_days: i64,
    },
    /// The cohort table over these dates would have too many cells.
    CohortTooLarge {
        granularity: Granularity,
        cells: usize,
        max_cells: usize,
    },
    /// Bytes were fed to a read after a part was joined to it (a caller's
    /// mistake).
    FedAfterEnd,
    /// Fixed RFM cut points of one dimension that are not four strictly
    /// ascending (finite) numbers.
    RfmCutsNotAscending {
        dimension: crate::rfm::Dimension,
        cuts: Vec<f64>,
    },
    /// The CPM toddler tenure (よちよち until) is longer than the loyal
    /// tenure (優良 from).
    CpmTenureReversed { toddler_days: u32, loyal_days: u32 },
}

/// An `f64` in JSON, not-a-number and the infinities as their text (JSON
/// numbers cannot hold them).
mod any_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.collect_str(v)
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(f64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        match Either::deserialize(d)? {
            Either::Number(v) => Ok(v),
            Either::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// An error with its position in the input, where one applies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Error {
    #[serde(flatten)]
    pub kind: ErrorKind,
    /// 1-based physical line in the file, if the error is tied to one.
    pub line: Option<u64>,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Error { kind, line: None }
    }
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

impl From<SettingError> for Error {
    fn from(error: SettingError) -> Self {
        Error::new(ErrorKind::InvalidSetting { error })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        match &self.kind {
            ErrorKind::Empty => write!(f, "the file is empty"),
            ErrorKind::NotTabular { looks_like } => write!(
                f,
                "this is not a CSV or TSV order export (it looks like {}); export the orders as CSV and try again",
                looks_like.english()
            ),
            ErrorKind::MappingNeeded { missing } => {
                let names: Vec<&str> = missing.iter().map(|m| m.name()).collect();
                write!(
                    f,
                    "could not find a column for: {}; choose the columns by hand",
                    names.join(", ")
                )
            }
            ErrorKind::BadMapping {
                field,
                column,
                columns,
            } => {
                let what = field.map_or("a customer key part", Field::name);
                write!(
                    f,
                    "column mapping: {what} is mapped to column {column} but the header has {columns} columns"
                )
            }
            ErrorKind::UnknownHeader {
                field,
                header,
                headers,
            } => write!(
                f,
                "column mapping: no column is headed \"{header}\" (for {}); the file's columns are: {}",
                field.name(),
                headers.join(", ")
            ),
            ErrorKind::NoOrders => write!(
                f,
                "no usable order in the file (every row was excluded or unreadable)"
            ),
            ErrorKind::InvalidSetting { error } => write!(f, "setting: {error}"),
        }
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingError::OutOfRange {
                setting,
                value,
                range,
            } => {
                let (name, example) = setting.english();
                let unit = match setting.unit() {
                    Unit::Months => " months",
                    Unit::Days => " days",
                    _ => "",
                };
                write!(f, "the {name} must be ")?;
                match (range.min, range.max) {
                    (Some(lo), Some(hi)) if range.min_included => write!(f, "{lo} to {hi}{unit}")?,
                    (Some(lo), Some(hi)) => {
                        write!(f, "a fraction above {lo} and at most {hi} ({example})")?
                    }
                    (Some(_), None) => write!(f, "a positive amount")?,
                    (None, Some(hi)) => write!(f, "at most {hi}{unit}")?,
                    (None, None) => write!(f, "a number")?,
                }
                write!(f, ", not {value}")
            }
            SettingError::WindowReversed { from, to } => {
                write!(f, "the window starts ({from}) after it ends ({to})")
            }
            SettingError::SpanTooLong {
                first_order,
                as_of,
                days,
                max_days,
            } => write!(
                f,
                "the analysis runs from the first order ({first_order}) to the as-of date ({as_of}), {days} days; at most {max_days} days (400 years) are supported"
            ),
            SettingError::CohortTooLarge {
                granularity,
                cells,
                max_cells,
            } => write!(
                f,
                "a {} cohort table over these dates would have {cells} cells (at most {max_cells}); choose a longer period or a later as-of date",
                granularity.name()
            ),
            SettingError::FedAfterEnd => {
                write!(f, "bytes fed after the end of the file (a part was joined)")
            }
            SettingError::RfmCutsNotAscending { dimension, cuts } => {
                let name = match dimension {
                    crate::rfm::Dimension::R => "R (days)",
                    crate::rfm::Dimension::F => "F (orders)",
                    crate::rfm::Dimension::M => "M (amount)",
                };
                let cuts: Vec<String> = cuts.iter().map(|c| c.to_string()).collect();
                write!(
                    f,
                    "the RFM {name} thresholds must be four ascending numbers, not {}",
                    cuts.join(",")
                )
            }
            SettingError::CpmTenureReversed {
                toddler_days,
                loyal_days,
            } => write!(
                f,
                "the CPM toddler tenure ({toddler_days} days) must not be longer than the loyal tenure ({loyal_days} days)"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// A problem with one cell: the row is kept or dropped, and the user is told
/// where it was and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based physical line in the file where the record starts.
    pub line: u64,
    /// The column's header name (empty when the row is too short to have it).
    pub column: String,
    /// The cell as written (truncated to 60 characters); for a short row,
    /// `fields/header fields` (e.g. `2/3`).
    pub value: String,
    pub kind: ProblemKind,
}

/// What was wrong with a cell or row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Expected a date such as 2024-03-05, 2024/3/5 or 20240305.
    InvalidDate,
    /// Expected an amount such as 1234, 1,234, ¥1,234 or 1.234,56.
    InvalidAmount,
    /// The row has fewer fields than the header.
    ShortRow,
    /// The amount had more decimals than the currency has; it was rounded.
    RoundedAmount,
}

impl ProblemKind {
    /// What the cell should have looked like, in English (the UI translates).
    pub fn expected(self) -> &'static str {
        match self {
            ProblemKind::InvalidDate => {
                "a date such as 2024-03-05, 2024/3/5, 20240305 or 2024-03-05T14:22:10Z"
            }
            ProblemKind::InvalidAmount => {
                "an amount such as 1234, 1,234, ¥1,234, 1,234円 or 1.234,56"
            }
            ProblemKind::ShortRow => "as many fields as the header has",
            ProblemKind::RoundedAmount => "no more decimals than the currency has",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ProblemKind::ShortRow {
            let (got, want) = self.value.split_once('/').unwrap_or((&self.value, "?"));
            return write!(
                f,
                "line {}: the row has {got} fields but the header has {want} (a missing delimiter or an unclosed quote?)",
                self.line
            );
        }
        write!(f, "line {}", self.line)?;
        if !self.column.is_empty() {
            write!(f, ", column \"{}\"", self.column)?;
        }
        write!(
            f,
            ": found \"{}\", expected {}",
            self.value,
            self.kind.expected()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English texts are the CLI's: the same bytes as when they were
    /// written as prose.
    #[test]
    fn english_texts_are_the_clis() {
        let setting = |s: Param, v: f64| s.check(v).map_err(|e| e.to_string()).err();
        for (s, v, text) in [
            (Param::LtvHorizon, 0.0, "the LTV horizon must be 1 to 600 months, not 0"),
            (Param::LtvHorizon, 601.0, "the LTV horizon must be 1 to 600 months, not 601"),
            (Param::GrossMargin, 2.0, "the gross margin must be a fraction above 0 and at most 1 (0.35 for 35%), not 2"),
            (Param::GrossMargin, 0.0, "the gross margin must be a fraction above 0 and at most 1 (0.35 for 35%), not 0"),
            (Param::Cpa, -1.5, "the CPA must be a positive amount, not -1.5"),
            (Param::ChurnDays, 0.0, "the churn window must be 1 to 36500 days, not 0"),
            (Param::TenureHorizon, 1201.0, "the tenure horizon must be 1 to 1200 months, not 1201"),
            (Param::F2Within, 40_000.0, "the F2 limit must be at most 36500 days, not 40000"),
            (Param::DecileGrowthRule, -1.0, "the decile growth rule must be a fraction above -1 and at most 10 (0.02 for +2%), not -1"),
            (Param::TargetBaseline, f64::NAN, "the target baseline must be a number, not NaN"),
            (Param::TargetBaseline, f64::INFINITY, "the target baseline must be a number, not inf"),
            (Param::TargetGrowth, 20.0, "the target growth must be a fraction above -1 and at most 10 (0.07 for +7%), not 20"),
            (Param::TargetHorizon, 121.0, "the target horizon must be 1 to 120 months, not 121"),
        ] {
            assert_eq!(setting(s, v), Some(format!("setting: {text}")));
        }
        for (s, v) in [
            (Param::LtvHorizon, 1.0),
            (Param::GrossMargin, 1.0),
            (Param::Cpa, 0.01),
            (Param::F2Within, 0.0),
            (Param::DecileGrowthRule, 10.0),
            (Param::TargetBaseline, -3.0),
        ] {
            assert_eq!(setting(s, v), None, "{s:?} {v}");
        }
        let text = |k: ErrorKind| Error::new(k).to_string();
        assert_eq!(
            text(ErrorKind::BadMapping {
                field: Some(Field::OrderDate),
                column: 5,
                columns: 3
            }),
            "column mapping: order_date is mapped to column 5 but the header has 3 columns"
        );
        assert_eq!(
            text(ErrorKind::BadMapping { field: None, column: 4, columns: 3 }),
            "column mapping: a customer key part is mapped to column 4 but the header has 3 columns"
        );
        assert_eq!(
            text(ErrorKind::MappingNeeded {
                missing: vec![Field::OrderDate, Field::Email]
            }),
            "could not find a column for: order_date, email; choose the columns by hand"
        );
        assert_eq!(
            Error::from(SettingError::CohortTooLarge {
                granularity: Granularity::Week,
                cells: 30_000_000,
                max_cells: 20_000_000
            })
            .to_string(),
            "setting: a week cohort table over these dates would have 30000000 cells (at most 20000000); choose a longer period or a later as-of date"
        );
        assert_eq!(
            Error::from(SettingError::FedAfterEnd).to_string(),
            "setting: bytes fed after the end of the file (a part was joined)"
        );
    }
}
