//! The app's errors: the engine's, and what can go wrong around it in the
//! browser (a file the browser cannot read, an engine worker that died).
//! Each is data, translated into the page's language by
//! [`AppError::message`]; none carries English prose to show as is.

use crate::i18n::{self, Lang};
use ltv_engine::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};

/// Why a load failed, or why the engine stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AppError {
    /// The engine could not read the file or compute the analyses.
    Engine(Error),
    /// The browser could not read the file (it was moved, deleted, or
    /// permission was withdrawn); `reason` is the browser's.
    FileRead { reason: String },
    /// The engine's Web Worker died (a bug: the engine returns errors, it
    /// does not panic); `message` is the browser's.
    WorkerCrashed { message: String },
    /// A customer list could not be written: an unknown list id, or the
    /// CSV writer's `reason`.
    Export { list: String, reason: String },
}

impl AppError {
    /// The engine's error kind, if the engine reported it.
    pub fn engine_kind(&self) -> Option<&ErrorKind> {
        match self {
            AppError::Engine(e) => Some(&e.kind),
            _ => None,
        }
    }
}

impl AppError {
    /// The error in the page's language.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, AppError::Engine(e)) => i18n::error(lang, &e.kind),
            (Lang::En, AppError::FileRead { reason }) => {
                format!("The file could not be read ({reason}). Choose it again.")
            }
            (Lang::Ja, AppError::FileRead { reason }) => {
                format!("ファイルを読み込めませんでした（{reason}）。もう一度選んでください。")
            }
            (Lang::En, AppError::WorkerCrashed { message }) => {
                format!("The engine stopped ({message}). Reload the page.")
            }
            (Lang::Ja, AppError::WorkerCrashed { message }) => {
                format!("計算エンジンが停止しました（{message}）。ページを再読み込みしてください。")
            }
            (Lang::En, AppError::Export { list, reason }) => {
                format!("The list \"{list}\" could not be written ({reason}).")
            }
            (Lang::Ja, AppError::Export { list, reason }) => {
                format!("リスト「{list}」を書き出せませんでした（{reason}）。")
            }
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Engine(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_errors_survive_json() {
        for e in [
            AppError::Engine(ErrorKind::NoOrders.into()),
            AppError::FileRead {
                reason: "NotReadableError".into(),
            },
            AppError::WorkerCrashed {
                message: "out of memory".into(),
            },
            AppError::Export {
                list: "yuryo".into(),
                reason: "the CSV writer failed".into(),
            },
        ] {
            let back: AppError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
            assert_eq!(back, e);
        }
    }

    #[test]
    fn app_errors_are_translated() {
        let read = AppError::FileRead {
            reason: "NotReadableError".into(),
        };
        let crash = AppError::WorkerCrashed {
            message: "out of memory".into(),
        };
        for e in [&read, &crash] {
            let (en, ja) = (e.message(Lang::En), e.message(Lang::Ja));
            assert!(en.is_ascii() && !ja.is_ascii(), "{en} / {ja}");
        }
        assert!(read.message(Lang::Ja).contains("読み込めません"));
        let engine = AppError::Engine(ErrorKind::NoOrders.into());
        assert_eq!(
            engine.message(Lang::Ja),
            i18n::error(Lang::Ja, &ErrorKind::NoOrders)
        );
    }
}
