//! The engine's one error type.
//!
//! Every error carries a [`ErrorKind`] (what went wrong, as data the UI can
//! translate) and, where it applies, a position in the input: the 1-based
//! physical line of the file and the column's header name. The engine never
//! panics on input; it returns these.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong. The UI translates each kind into the user's language;
/// [`Error`]'s `Display` is the English text the CLI prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is empty (no bytes, or only a byte-order mark / blank lines).
    Empty,
    /// The bytes are not a text table (a zip, an image, a PDF, binary data).
    NotTabular { looks_like: String },
    /// The header row was read, but no column could be found for a required
    /// field; the user must map columns by hand.
    MappingNeeded { missing: Vec<String> },
    /// A mapping named a column index that the header does not have.
    BadMapping { detail: String },
    /// The file was read but no order could be used (every row was excluded
    /// or unreadable).
    NoOrders,
    /// A user setting is out of range (a window that ends before it starts...).
    BadSetting { detail: String },
}

/// An error with its position in the input, where one applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        match &self.kind {
            ErrorKind::Empty => write!(f, "the file is empty"),
            ErrorKind::NotTabular { looks_like } => write!(
                f,
                "this is not a CSV or TSV order export (it looks like {looks_like}); export the orders as CSV and try again"
            ),
            ErrorKind::MappingNeeded { missing } => write!(
                f,
                "could not find a column for: {}; choose the columns by hand",
                missing.join(", ")
            ),
            ErrorKind::BadMapping { detail } => write!(f, "column mapping: {detail}"),
            ErrorKind::NoOrders => write!(
                f,
                "no usable order in the file (every row was excluded or unreadable)"
            ),
            ErrorKind::BadSetting { detail } => write!(f, "setting: {detail}"),
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
