//! Customer lists for download: the engine's list (`ltv_engine::customers`)
//! written as CSV with the same bytes the CLI's `ltv-lens customers`
//! prints, named for the download.

use crate::error::AppError;
use crate::protocol::Exported;
use ltv_engine::customers::{self, ListId};
use ltv_engine::export::ExportEncoding;
use ltv_engine::report::AnalyzeParams;
use ltv_engine::store::Dataset;

/// Writes list `list` of `data` with `params` (and the predicted-LTV
/// columns when `with_clv`): what to tell the page, and the file's bytes.
pub fn export(
    data: &Dataset,
    params: &AnalyzeParams,
    list: &str,
    encoding: ExportEncoding,
    with_clv: bool,
) -> Result<(Exported, Vec<u8>), AppError> {
    let id = ListId::parse(list).ok_or_else(|| AppError::Export {
        list: list.to_string(),
        reason: "no such list".into(),
    })?;
    let rows = if with_clv {
        customers::list_with_clv(data, params)?
    } else {
        customers::list(data, params)?
    };
    let written = customers::write_csv(&rows, id, encoding).map_err(|e| AppError::Export {
        list: list.to_string(),
        reason: e.to_string(),
    })?;
    Ok((
        Exported {
            file_name: file_name(id, &rows),
            rows: written.rows as u64,
            neutralised_cells: written.neutralised_cells as u64,
            unrepresentable_chars: written.unrepresentable_chars as u64,
        },
        written.bytes,
    ))
}

/// `ltv-lens-<list>-<as-of>.csv`.
fn file_name(id: ListId, list: &customers::CustomerList) -> String {
    match list.as_of {
        Some(d) => format!("ltv-lens-{}-{d}.csv", id.id()),
        None => format!("ltv-lens-{}.csv", id.id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_engine::ingest::{read_all, IngestOptions};

    fn fixture(name: &str) -> Dataset {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        read_all(&std::fs::read(path).unwrap(), IngestOptions::default()).unwrap()
    }

    #[test]
    fn every_list_is_written_with_its_members_and_a_dated_name() {
        let data = fixture("shopify_small.csv");
        let params = AnalyzeParams::default();
        let all = customers::list(&data, &params).unwrap();
        for id in ListId::ALL {
            let (meta, bytes) =
                export(&data, &params, id.id(), ExportEncoding::Utf8Bom, false).unwrap();
            assert_eq!(meta.rows as usize, all.select(id).len(), "{}", id.id());
            let as_of = all.as_of.unwrap();
            assert_eq!(meta.file_name, format!("ltv-lens-{}-{as_of}.csv", id.id()));
            assert!(bytes.starts_with(b"\xEF\xBB\xBFcustomer,orders,revenue,"));
            // One CRLF-terminated line per member, plus the header.
            let lines = bytes.windows(2).filter(|w| w == b"\r\n").count();
            assert_eq!(lines, meta.rows as usize + 1, "{}", id.id());
        }
    }

    #[test]
    fn the_predicted_ltv_columns_come_when_asked() {
        let data = fixture("cohorts_small.csv");
        let params = AnalyzeParams::default();
        let (plain, bytes) = export(&data, &params, "all", ExportEncoding::Utf8Bom, false).unwrap();
        let (with, clv_bytes) =
            export(&data, &params, "all", ExportEncoding::Utf8Bom, true).unwrap();
        assert_eq!(plain.rows, with.rows);
        let header = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        assert!(header(&bytes).ends_with(",value_at_risk"));
        assert!(header(&clv_bytes)
            .ends_with(",value_at_risk,p_alive,expected_orders,expected_avg_order_value,clv"));
    }

    #[test]
    fn an_unknown_list_is_an_error_naming_it() {
        let data = fixture("shopify_small.csv");
        let err = export(
            &data,
            &AnalyzeParams::default(),
            "vip",
            ExportEncoding::Utf8Bom,
            false,
        )
        .unwrap_err();
        assert_eq!(
            err,
            AppError::Export {
                list: "vip".into(),
                reason: "no such list".into()
            }
        );
    }
}
