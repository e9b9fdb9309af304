//! App state (signals passed down by context) and the load pipeline that
//! streams a file into the engine.

use crate::i18n::Lang;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ltv_engine::error::{Error, ErrorKind};
use ltv_engine::ingest::{is_workbook, preview, Ingest, IngestOptions, Preview, SNIFF_BYTES};
use ltv_engine::mapping::ColumnMapping;
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::store::Dataset;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Bytes handed to the engine per step; the page repaints between steps.
const CHUNK: usize = 4 << 20;

/// Where the bytes come from.
#[derive(Clone)]
pub enum Source {
    File(web_sys::File),
    Bytes { name: String, bytes: Rc<Vec<u8>> },
}

impl Source {
    fn len(&self) -> u64 {
        match self {
            Source::File(f) => f.size() as u64,
            Source::Bytes { bytes, .. } => bytes.len() as u64,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Source::File(f) => f.name(),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    /// Reads `len` bytes at `offset` (a slice of the File: the whole file is
    /// never copied into memory at once).
    async fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        match self {
            Source::Bytes { bytes, .. } => {
                let start = (offset as usize).min(bytes.len());
                let end = (start + len).min(bytes.len());
                Ok(bytes[start..end].to_vec())
            }
            Source::File(f) => {
                let end = (offset + len as u64).min(f.size() as u64);
                let blob = f
                    .slice_with_f64_and_f64(offset as f64, end as f64)
                    .map_err(|e| format!("{e:?}"))?;
                let buf = JsFuture::from(blob.array_buffer())
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                let buf: js_sys::ArrayBuffer = buf.dyn_into().map_err(|e| format!("{e:?}"))?;
                Ok(js_sys::Uint8Array::new(&buf).to_vec())
            }
        }
    }
}

/// What the status line shows; `data-state` is its [`Status::name`].
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Working { read: u64, total: u64, rows: u64 },
    Ready { rows: u64, seconds: f64 },
    Error,
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Working { .. } => "working",
            Status::Ready { .. } => "ready",
            Status::Error => "error",
        }
    }
}

/// The result sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Summary,
    Deciles,
    Cohorts,
    Ltv,
    Trend,
    Repeat,
}

impl Tab {
    pub fn name(self) -> &'static str {
        match self {
            Tab::Summary => "summary",
            Tab::Deciles => "deciles",
            Tab::Cohorts => "cohorts",
            Tab::Ltv => "ltv",
            Tab::Trend => "trend",
            Tab::Repeat => "repeat",
        }
    }
    pub fn from_name(s: &str) -> Option<Tab> {
        match s {
            "summary" => Some(Tab::Summary),
            "deciles" => Some(Tab::Deciles),
            "cohorts" => Some(Tab::Cohorts),
            "ltv" => Some(Tab::Ltv),
            "trend" => Some(Tab::Trend),
            "repeat" => Some(Tab::Repeat),
            _ => None,
        }
    }
}

/// The mapping step: shown when the columns could not be recognised.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingStep {
    pub preview: Preview,
}

/// Every signal of the app. `Copy`, passed by context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub status: RwSignal<Status>,
    pub file_name: RwSignal<Option<String>>,
    pub data: RwSignal<Option<Arc<Dataset>>>,
    pub params: RwSignal<AnalyzeParams>,
    pub report: Memo<Option<Result<Report, Error>>>,
    pub fatal: RwSignal<Option<ErrorKind>>,
    pub mapping: RwSignal<Option<MappingStep>>,
    /// How the current file is read (encoding, day/month order, currency,
    /// column mapping, exclusion rules); a change re-reads the file.
    pub read: RwSignal<IngestOptions>,
    /// A short note about how the file was read (e.g. a remembered mapping).
    pub notice: RwSignal<Option<Notice>>,
    pub tab: RwSignal<Tab>,
    source: StoredValue<Option<Source>, LocalStorage>,
    run: StoredValue<u64>,
}

impl AppState {
    pub fn new(lang: Lang, params: AnalyzeParams, tab: Tab) -> Self {
        let data: RwSignal<Option<Arc<Dataset>>> = RwSignal::new(None);
        let params = RwSignal::new(params);
        let report = Memo::new(move |_| {
            let p = params.get();
            data.with(|d| d.as_ref().map(|d| analyze(d, &p)))
        });
        AppState {
            lang: RwSignal::new(lang),
            status: RwSignal::new(Status::Idle),
            file_name: RwSignal::new(None),
            data,
            params,
            report,
            fatal: RwSignal::new(None),
            mapping: RwSignal::new(None),
            read: RwSignal::new(IngestOptions::default()),
            notice: RwSignal::new(None),
            tab: RwSignal::new(tab),
            source: StoredValue::new_local(None),
            run: StoredValue::new(0),
        }
    }

    /// Opens a new file: per-file read choices are reset, the exclusion
    /// rules (a preference) are kept.
    pub fn open(self, source: Source) {
        let rules = self.read.get_untracked().rules;
        self.read.set(IngestOptions {
            rules,
            ..IngestOptions::default()
        });
        self.notice.set(None);
        self.load(source);
    }

    /// Changes how the current file is read and reads it again.
    pub fn reread(self, change: impl FnOnce(&mut IngestOptions)) {
        self.read.update(change);
        if let Some(source) = self.source.get_value() {
            self.load(source);
        }
    }

    /// Reads a source into the engine, chunk by chunk, then shows results.
    fn load(self, source: Source) {
        self.source.set_value(Some(source.clone()));
        self.run.update_value(|r| *r += 1);
        let run = self.run.get_value();
        self.file_name.set(Some(source.name()));
        self.fatal.set(None);
        self.mapping.set(None);
        self.data.set(None);
        let total = source.len();
        self.status.set(Status::Working {
            read: 0,
            total,
            rows: 0,
        });
        spawn_local(async move {
            let started = now_ms();
            let opts = self.read.get_untracked();
            let mut ingest = Ingest::new(opts.clone());
            let mut head: Vec<u8> = Vec::new();
            let mut offset = 0u64;
            let mut failure: Option<Error> = None;
            while offset < total {
                let chunk = match source.read(offset, CHUNK).await {
                    Ok(c) if !c.is_empty() => c,
                    Ok(_) => break,
                    Err(e) => {
                        failure = Some(
                            ErrorKind::BadSetting {
                                detail: format!("the file could not be read: {e}"),
                            }
                            .into(),
                        );
                        break;
                    }
                };
                if self.run.get_value() != run {
                    return; // a newer load started
                }
                if head.len() < SNIFF_BYTES {
                    let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                }
                offset += chunk.len() as u64;
                if let Err(e) = ingest.feed(&chunk) {
                    failure = Some(e);
                    break;
                }
                self.status.set(Status::Working {
                    read: offset,
                    total,
                    rows: ingest.rows(),
                });
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            if self.run.get_value() != run {
                return;
            }
            let result = match failure {
                Some(e) => Err(e),
                None => ingest.finish(),
            };
            match result {
                Ok(data) => {
                    let rows = data.info.rows;
                    self.data.set(Some(Arc::new(data)));
                    let seconds = (now_ms() - started) / 1000.0;
                    self.status.set(Status::Ready { rows, seconds });
                }
                Err(e) => {
                    // A workbook's mapping preview needs the whole file.
                    let head = if is_workbook(&head)
                        && matches!(e.kind, ErrorKind::MappingNeeded { .. })
                    {
                        source.read(0, total as usize).await.unwrap_or(head)
                    } else {
                        head
                    };
                    self.fail(e, &head, &opts, source)
                }
            }
        });
    }

    fn fail(self, e: Error, head: &[u8], opts: &IngestOptions, source: Source) {
        if matches!(
            e.kind,
            ErrorKind::MappingNeeded { .. } | ErrorKind::BadMapping { .. }
        ) {
            // A layout mapped by hand before is read with that mapping.
            if opts.mapping.is_none() {
                if let Some(m) = preview(head, opts)
                    .ok()
                    .and_then(|p| remembered_mapping(&p.headers))
                {
                    self.notice.set(Some(Notice::RememberedMapping));
                    self.read.update(|o| o.mapping = Some(m));
                    self.load(source);
                    return;
                }
            }
            if let Ok(p) = preview(
                head,
                &IngestOptions {
                    mapping: None,
                    ..opts.clone()
                },
            ) {
                let mut p = p;
                if let Some(m) = &opts.mapping {
                    p.guess.mapping = m.clone();
                    p.guess.missing = m.missing();
                }
                self.mapping.set(Some(MappingStep { preview: p }));
            }
        }
        self.fatal.set(Some(e.kind));
        self.status.set(Status::Error);
    }

    /// Re-reads the current source with a hand-made mapping, and remembers
    /// it for files with the same header row.
    pub fn apply_mapping(self, mapping: ColumnMapping) {
        if let Some(step) = self.mapping.get_untracked() {
            remember_mapping(&step.preview.headers, &mapping);
        }
        self.notice.set(None);
        self.reread(|o| o.mapping = Some(mapping));
    }

    /// Drops the mapping step and the file.
    pub fn cancel_mapping(self) {
        self.run.update_value(|r| *r += 1);
        self.mapping.set(None);
        self.fatal.set(None);
        self.status.set(Status::Idle);
    }

    /// Sets one date setting from an `<input type=date>` value ("" clears).
    pub fn set_date(self, which: DateSetting, value: &str) {
        let d = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
        self.params.update(|p| match which {
            DateSetting::AsOf => p.as_of = d,
            DateSetting::From => p.from = d,
            DateSetting::To => p.to = d,
        });
    }
}

/// Notes shown about how a file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The columns were mapped as the user mapped this layout before.
    RememberedMapping,
}

/// Local-storage key of a header layout: `ltv-lens.mapping.<FNV-1a hash>`
/// of the normalised headers. Only settings are stored, never data.
fn mapping_key(headers: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for name in headers {
        for b in ltv_engine::mapping::normalise_header(name)
            .bytes()
            .chain([0x1f])
        {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("ltv-lens.mapping.{h:016x}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remember_mapping(headers: &[String], m: &ColumnMapping) {
    if let (Some(st), Ok(json)) = (storage(), serde_json::to_string(m)) {
        let _ = st.set_item(&mapping_key(headers), &json);
    }
}

/// A remembered mapping that fits these headers and maps every required field.
fn remembered_mapping(headers: &[String]) -> Option<ColumnMapping> {
    let json = storage()?.get_item(&mapping_key(headers)).ok()??;
    let m: ColumnMapping = serde_json::from_str(&json).ok()?;
    let fits = ltv_engine::mapping::Field::ALL
        .iter()
        .all(|f| m.get(*f).is_none_or(|c| c < headers.len()));
    (fits && m.missing().is_empty()).then_some(m)
}

/// The date settings of an analysis.
#[derive(Clone, Copy, Debug)]
pub enum DateSetting {
    AsOf,
    From,
    To,
}

/// Milliseconds since page load.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The app state from context (provided by `App` at the root).
pub fn use_state() -> AppState {
    expect_context::<AppState>() // ok-panic: components are only mounted under App, which provides it
}
