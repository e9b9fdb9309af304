//! The page's state machine, without a page: what the user did and what
//! the engine answered go in, what to do comes out ([`Effect`]s: a request
//! to send, a value to show). `app/state.rs` applies the effects to its
//! signals; the rules live here and are tested natively.
//!
//! A load is numbered by its `run`, a set of settings by its `seq`:
//! replies about a run or a seq the session has moved past are ignored,
//! so a slow answer never overwrites a newer one. A cancelled load shows
//! again what was shown before it (the engine kept its order store).

use crate::error::AppError;
use crate::protocol::{Input, Phases, Reply, Request};
use ltv_engine::error::Error;
use ltv_engine::ingest::{IngestOptions, Preview};
use ltv_engine::mapping::ColumnMapping;
use ltv_engine::report::{AnalyzeParams, Report};
use ltv_engine::store::ReadInfo;
use std::sync::Arc;

/// Where a load's bytes come from (a `File` in the page).
pub trait Source: Clone {
    /// The name shown.
    fn name(&self) -> String;
    /// Its size in bytes, if known before reading (0 if not).
    fn size(&self) -> u64;
    /// How the engine gets its bytes: a file sent with the request, or the
    /// built-in sample.
    fn input(&self) -> Input;
}

/// What the status line shows; `data-state` is its [`Status::name`].
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    /// `read` of `total` bytes parsed, `rows` rows, `seconds` since the
    /// file was chosen.
    Working {
        read: u64,
        total: u64,
        rows: u64,
        seconds: f64,
    },
    Ready {
        rows: u64,
        seconds: f64,
        /// Where the worker's time went (absent for a cancelled load's
        /// restored results).
        phases: Option<Phases>,
    },
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

/// The mapping step: shown when the columns could not be recognised.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingStep {
    pub preview: Preview,
}

/// Notes shown about how a file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The columns were mapped as the user mapped this layout before.
    RememberedMapping,
    /// A load was cancelled; what was shown before is shown again.
    Cancelled,
}

/// The analyses shown: the report, or why there is none.
pub type Shown = Option<Result<Arc<Report>, Error>>;

/// What to do, in order. (An effect lives only while it is applied.)
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Effect<S> {
    /// Send a request to the engine, with this source's file if it has one.
    Send(Request, Option<S>),
    Status(Status),
    FileName(Option<String>),
    Info(Option<Arc<ReadInfo>>),
    Report(Shown),
    Fatal(Option<AppError>),
    Mapping(Option<MappingStep>),
    /// How the current file is read.
    Read(IngestOptions),
    Notice(Option<Notice>),
    /// Show a load's report on a later task (so that neither task is
    /// long): call [`Session::show_loaded`] with it then.
    Later(Loaded),
    /// Remember a hand-made mapping for files with these headers.
    Remember {
        headers: Vec<String>,
        mapping: ColumnMapping,
    },
}

/// A complete load whose report is still to be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    run: u64,
    seq: u64,
    report: Result<Box<Report>, Error>,
    rows: u64,
    seconds: f64,
    phases: Phases,
}

/// What a cancelled load puts back.
#[derive(Clone)]
struct Before<S> {
    source: Option<S>,
    read: IngestOptions,
    file_name: Option<String>,
    info: Option<Arc<ReadInfo>>,
    report: Shown,
    status: Status,
}

/// The page's state and its rules.
pub struct Session<S> {
    status: Status,
    file_name: Option<String>,
    /// How the shown file was read (the engine keeps its order store).
    info: Option<Arc<ReadInfo>>,
    report: Shown,
    mapping: Option<MappingStep>,
    read: IngestOptions,
    params: AnalyzeParams,
    source: Option<S>,
    /// The newest load; replies about older ones are ignored.
    run: u64,
    /// The newest settings; reports computed with older ones are ignored.
    seq: u64,
    /// When the newest load started (ms).
    started: f64,
    /// What was shown before the current load, for cancel.
    before: Option<Before<S>>,
}

impl<S: Source> Session<S> {
    /// A page with nothing loaded, analysing with `params`.
    pub fn new(params: AnalyzeParams) -> Self {
        Session {
            status: Status::Idle,
            file_name: None,
            info: None,
            report: None,
            mapping: None,
            read: IngestOptions::default(),
            params,
            source: None,
            run: 0,
            seq: 0,
            started: 0.0,
            before: None,
        }
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    pub fn report(&self) -> &Shown {
        &self.report
    }

    /// Opens a new file at `now` (ms): per-file read choices are reset,
    /// the exclusion rules (a preference) are kept.
    pub fn open(&mut self, source: S, now: f64) -> Vec<Effect<S>> {
        self.read = IngestOptions {
            rules: std::mem::take(&mut self.read.rules),
            ..IngestOptions::default()
        };
        let mut out = vec![Effect::Read(self.read.clone()), Effect::Notice(None)];
        self.load(source, now, &mut out);
        out
    }

    /// Changes how the current file is read and reads it again.
    pub fn reread(&mut self, change: impl FnOnce(&mut IngestOptions), now: f64) -> Vec<Effect<S>> {
        change(&mut self.read);
        let mut out = vec![Effect::Read(self.read.clone())];
        if let Some(source) = self.source.clone() {
            self.load(source, now, &mut out);
        }
        out
    }

    /// Sends a source to the engine; progress and results come back as
    /// replies.
    fn load(&mut self, source: S, now: f64, out: &mut Vec<Effect<S>>) {
        if !matches!(self.status, Status::Working { .. }) {
            self.before = Some(Before {
                source: self.source.clone(),
                read: self.read.clone(),
                file_name: self.file_name.clone(),
                info: self.info.take(),
                report: self.report.take(),
                status: self.status.clone(),
            });
        }
        self.source = Some(source.clone());
        self.run += 1;
        self.started = now;
        self.file_name = Some(source.name());
        self.mapping = None;
        self.info = None;
        self.report = None;
        self.status = Status::Working {
            read: 0,
            total: source.size(),
            rows: 0,
            seconds: 0.0,
        };
        out.extend([
            Effect::FileName(self.file_name.clone()),
            Effect::Fatal(None),
            Effect::Mapping(None),
            Effect::Info(None),
            Effect::Report(None),
            Effect::Status(self.status.clone()),
        ]);
        let input = source.input();
        let req = Request::Open {
            run: self.run,
            input: input.clone(),
            options: self.read.clone(),
            params: self.params,
            seq: self.seq,
        };
        out.push(Effect::Send(req, (input == Input::File).then_some(source)));
    }

    /// Stops the current load and shows again what was shown before it.
    pub fn cancel(&mut self) -> Vec<Effect<S>> {
        if !matches!(self.status, Status::Working { .. }) {
            return Vec::new();
        }
        let mut out = vec![Effect::Send(Request::Cancel { run: self.run }, None)];
        // Replies about this run are ignored from now on.
        self.run += 1;
        match self.before.take() {
            Some(b) => {
                self.source = b.source;
                self.read = b.read;
                self.file_name = b.file_name;
                self.info = b.info;
                self.report = b.report;
                self.status = match b.status {
                    Status::Working { .. } | Status::Error => Status::Idle,
                    s => s,
                };
                out.extend([
                    Effect::Read(self.read.clone()),
                    Effect::FileName(self.file_name.clone()),
                    Effect::Info(self.info.clone()),
                    Effect::Report(self.report.clone()),
                    Effect::Status(self.status.clone()),
                ]);
                // The engine kept its store; bring the report up to date
                // with any setting changed during the load.
                if self.info.is_some() {
                    self.seq += 1;
                    out.push(self.analyze());
                }
            }
            None => {
                self.file_name = None;
                self.status = Status::Idle;
                out.extend([Effect::FileName(None), Effect::Status(Status::Idle)]);
            }
        }
        out.push(Effect::Notice(Some(Notice::Cancelled)));
        out
    }

    fn analyze(&self) -> Effect<S> {
        let req = Request::Analyze {
            seq: self.seq,
            params: self.params,
        };
        Effect::Send(req, None)
    }

    /// The settings changed: recompute from the engine's order store.
    pub fn set_params(&mut self, params: AnalyzeParams) -> Vec<Effect<S>> {
        self.params = params;
        self.seq += 1;
        if self.info.is_some() {
            vec![self.analyze()]
        } else {
            Vec::new()
        }
    }

    /// A reply from the engine at `now` (ms). `remembered` gives the
    /// mapping the user made before for files with these headers.
    pub fn on_reply(
        &mut self,
        reply: Reply,
        now: f64,
        remembered: impl Fn(&[String]) -> Option<ColumnMapping>,
    ) -> Vec<Effect<S>> {
        let current = self.run;
        match reply {
            Reply::Progress {
                run,
                read,
                total,
                rows,
            } if run == current => {
                self.status = Status::Working {
                    read,
                    total,
                    rows,
                    seconds: (now - self.started) / 1000.0,
                };
                vec![Effect::Status(self.status.clone())]
            }
            Reply::Loaded {
                run,
                seq,
                info,
                report,
                phases,
                ..
            } if run == current => {
                // Two tasks: first how the file was read (the settings
                // and tabs appear), then the report (the chosen section
                // and its chart).
                let rows = info.rows;
                self.info = Some(Arc::new(*info));
                let later = Loaded {
                    run,
                    seq,
                    report,
                    rows,
                    seconds: (now - self.started) / 1000.0,
                    phases,
                };
                vec![Effect::Info(self.info.clone()), Effect::Later(later)]
            }
            Reply::Failed {
                run,
                error,
                preview,
            } if run == current => self.fail(error, preview.map(|p| *p), now, remembered),
            Reply::Analyzed { seq, report } if seq == self.seq && self.info.is_some() => {
                self.report = Some(report.map(Arc::from));
                vec![Effect::Report(self.report.clone())]
            }
            _ => Vec::new(), // about a load or settings the page has moved past
        }
    }

    /// Shows a load's report, on the task after its reply (see
    /// [`Effect::Later`]), unless the load was superseded meanwhile.
    pub fn show_loaded(&mut self, loaded: Loaded) -> Vec<Effect<S>> {
        if loaded.run != self.run {
            return Vec::new();
        }
        let mut out = Vec::new();
        if loaded.seq == self.seq {
            self.report = Some(loaded.report.map(Arc::from));
            out.push(Effect::Report(self.report.clone()));
        } else {
            out.push(self.analyze());
        }
        self.status = Status::Ready {
            rows: loaded.rows,
            seconds: loaded.seconds,
            phases: Some(loaded.phases),
        };
        out.push(Effect::Status(self.status.clone()));
        out
    }

    fn fail(
        &mut self,
        e: AppError,
        preview: Option<Preview>,
        now: f64,
        remembered: impl Fn(&[String]) -> Option<ColumnMapping>,
    ) -> Vec<Effect<S>> {
        let mut out = Vec::new();
        if let Some(mut p) = preview {
            // A layout mapped by hand before is read with that mapping.
            if self.read.mapping.is_none() {
                if let (Some(m), Some(source)) = (remembered(&p.headers), self.source.clone()) {
                    self.read.mapping = Some(m);
                    out.push(Effect::Notice(Some(Notice::RememberedMapping)));
                    out.push(Effect::Read(self.read.clone()));
                    self.load(source, now, &mut out);
                    return out;
                }
            }
            if let Some(m) = &self.read.mapping {
                p.guess.mapping = m.clone();
                p.guess.missing = m.missing();
            }
            self.mapping = Some(MappingStep { preview: p });
            out.push(Effect::Mapping(self.mapping.clone()));
        }
        self.status = Status::Error;
        out.push(Effect::Fatal(Some(e)));
        out.push(Effect::Status(Status::Error));
        out
    }

    /// The engine's worker died.
    pub fn crashed(&mut self, message: String) -> Vec<Effect<S>> {
        self.status = Status::Error;
        vec![
            Effect::Fatal(Some(AppError::WorkerCrashed { message })),
            Effect::Status(Status::Error),
        ]
    }

    /// Re-reads the current source with a hand-made mapping, and remembers
    /// it for files with the same header row.
    pub fn apply_mapping(&mut self, mapping: ColumnMapping, now: f64) -> Vec<Effect<S>> {
        let mut out = Vec::new();
        if let Some(step) = &self.mapping {
            out.push(Effect::Remember {
                headers: step.preview.headers.clone(),
                mapping: mapping.clone(),
            });
        }
        out.push(Effect::Notice(None));
        out.extend(self.reread(|o| o.mapping = Some(mapping), now));
        out
    }

    /// Drops the mapping step and the file.
    pub fn cancel_mapping(&mut self) -> Vec<Effect<S>> {
        self.run += 1;
        self.mapping = None;
        self.status = Status::Idle;
        vec![
            Effect::Mapping(None),
            Effect::Fatal(None),
            Effect::Status(Status::Idle),
        ]
    }
}

/// Local-storage key of a header layout: `ltv-lens.mapping.<FNV-1a hash>`
/// of the normalised headers, each followed by 0x1f. Only settings are
/// stored, never data. (The `fnv` crate's 64-bit FNV-1a gives the keys the
/// hand-written hash gave before it, so mappings saved then are found.)
pub fn mapping_key(headers: &[String]) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    for name in headers {
        h.write(ltv_engine::mapping::normalise_header(name).as_bytes());
        h.write(&[0x1f]);
    }
    format!("ltv-lens.mapping.{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_engine::error::ErrorKind;
    use ltv_engine::ingest::read_all;
    use ltv_engine::report::analyze;

    #[derive(Clone, Debug, PartialEq)]
    struct File(&'static str);

    impl Source for File {
        fn name(&self) -> String {
            self.0.into()
        }
        fn size(&self) -> u64 {
            1000
        }
        fn input(&self) -> Input {
            Input::File
        }
    }

    const CSV: &str = "Name,Email,Created at,Total\n#1,a@example.com,2024-01-05,1000\n\
                       #2,a@example.com,2024-03-05,2000\n#3,b@example.com,2024-02-01,500\n";

    fn none(_: &[String]) -> Option<ColumnMapping> {
        None
    }

    /// The engine's `Loaded` reply for load `run` with settings `seq`.
    fn loaded(run: u64, seq: u64, params: &AnalyzeParams) -> Reply {
        let data = read_all(CSV.as_bytes(), IngestOptions::default()).unwrap();
        Reply::Loaded {
            run,
            seq,
            info: Box::new(data.info.clone()),
            report: analyze(&data, params).map(Box::new),
            seconds: 0.1,
            phases: Phases::default(),
        }
    }

    fn analyzed(seq: u64, params: &AnalyzeParams) -> Reply {
        let data = read_all(CSV.as_bytes(), IngestOptions::default()).unwrap();
        Reply::Analyzed {
            seq,
            report: analyze(&data, params).map(Box::new),
        }
    }

    fn sent(effects: &[Effect<File>]) -> Vec<Request> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send(r, _) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    /// Replies to a load and shows its report, as the page does.
    fn finish(s: &mut Session<File>, reply: Reply) -> Vec<Effect<File>> {
        let mut out = s.on_reply(reply, 500.0, none);
        let later = out.iter().find_map(|e| match e {
            Effect::Later(l) => Some(l.clone()),
            _ => None,
        });
        if let Some(l) = later {
            out.extend(s.show_loaded(l));
        }
        out
    }

    #[test]
    fn a_load_sends_the_file_and_shows_its_report() {
        let mut s = Session::new(AnalyzeParams::default());
        let out = s.open(File("a.csv"), 0.0);
        assert!(out.contains(&Effect::FileName(Some("a.csv".into()))));
        assert!(out.contains(&Effect::Send(
            Request::Open {
                run: 1,
                input: Input::File,
                options: IngestOptions::default(),
                params: AnalyzeParams::default(),
                seq: 0,
            },
            Some(File("a.csv"))
        )));
        assert_eq!(s.status().name(), "working");
        let out = s.on_reply(
            Reply::Progress {
                run: 1,
                read: 500,
                total: 1000,
                rows: 10,
            },
            2000.0,
            none,
        );
        assert_eq!(
            out,
            vec![Effect::Status(Status::Working {
                read: 500,
                total: 1000,
                rows: 10,
                seconds: 2.0
            })]
        );
        finish(&mut s, loaded(1, 0, &AnalyzeParams::default()));
        assert_eq!(s.status().name(), "ready");
        assert!(matches!(s.report(), Some(Ok(_))));
    }

    #[test]
    fn the_sample_is_sent_without_a_file() {
        #[derive(Clone, Debug, PartialEq)]
        struct Sample;
        impl Source for Sample {
            fn name(&self) -> String {
                "sample-shop.csv".into()
            }
            fn size(&self) -> u64 {
                0
            }
            fn input(&self) -> Input {
                Input::Sample
            }
        }
        let mut s = Session::new(AnalyzeParams::default());
        let out = s.open(Sample, 0.0);
        assert!(matches!(
            out.last(),
            Some(Effect::Send(
                Request::Open {
                    input: Input::Sample,
                    ..
                },
                None
            ))
        ));
    }

    #[test]
    fn replies_about_a_superseded_run_are_ignored() {
        let mut s = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        let out = s.open(File("b.csv"), 10.0);
        assert!(matches!(sent(&out)[..], [Request::Open { run: 2, .. }]));
        let stale = Reply::Progress {
            run: 1,
            read: 1,
            total: 2,
            rows: 1,
        };
        assert!(s.on_reply(stale, 20.0, none).is_empty());
        assert!(finish(&mut s, loaded(1, 0, &AnalyzeParams::default())).is_empty());
        let failed = Reply::Failed {
            run: 1,
            error: AppError::Engine(ErrorKind::NoOrders.into()),
            preview: None,
        };
        assert!(s.on_reply(failed, 20.0, none).is_empty());
        assert_eq!(s.status().name(), "working");
        // A report shown later is dropped if a newer load started meanwhile.
        let out = s.on_reply(loaded(2, 0, &AnalyzeParams::default()), 30.0, none);
        let Some(Effect::Later(later)) = out.last().cloned() else {
            panic!("{out:?}")
        };
        s.open(File("c.csv"), 40.0);
        assert!(s.show_loaded(later).is_empty());
    }

    #[test]
    fn reports_of_older_settings_are_ignored() {
        let mut s = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        finish(&mut s, loaded(1, 0, &AnalyzeParams::default()));
        let horizon_6 = AnalyzeParams {
            horizon_months: 6,
            ..AnalyzeParams::default()
        };
        let horizon_3 = AnalyzeParams {
            horizon_months: 3,
            ..AnalyzeParams::default()
        };
        let out = s.set_params(horizon_6);
        assert_eq!(
            sent(&out),
            vec![Request::Analyze {
                seq: 1,
                params: horizon_6
            }]
        );
        s.set_params(horizon_3);
        assert!(s.on_reply(analyzed(1, &horizon_6), 0.0, none).is_empty());
        let out = s.on_reply(analyzed(2, &horizon_3), 0.0, none);
        assert!(matches!(out[..], [Effect::Report(Some(Ok(_)))]));
        let Some(Ok(r)) = s.report() else { panic!() };
        assert_eq!(r.ltv.horizon_months, 3);
    }

    #[test]
    fn a_load_that_ends_after_a_settings_change_is_analysed_again() {
        let mut s = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        // No store yet: nothing to recompute.
        assert!(s
            .set_params(AnalyzeParams {
                cpa: Some(3000.0),
                ..AnalyzeParams::default()
            })
            .is_empty());
        let out = finish(&mut s, loaded(1, 0, &AnalyzeParams::default()));
        assert!(matches!(sent(&out)[..], [Request::Analyze { seq: 1, .. }]));
        assert_eq!(s.report(), &None);
        assert_eq!(s.status().name(), "ready");
    }

    #[test]
    fn cancel_restores_the_previous_report() {
        let mut s = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        finish(&mut s, loaded(1, 0, &AnalyzeParams::default()));
        let shown = s.report().clone();
        assert!(matches!(shown, Some(Ok(_))));
        s.open(File("b.csv"), 100.0);
        assert_eq!(s.report(), &None);
        let out = s.cancel();
        assert_eq!(
            sent(&out),
            vec![
                Request::Cancel { run: 2 },
                Request::Analyze {
                    seq: 1,
                    params: AnalyzeParams::default()
                }
            ]
        );
        assert!(out.contains(&Effect::FileName(Some("a.csv".into()))));
        assert!(out.contains(&Effect::Report(shown.clone())));
        assert!(out.contains(&Effect::Notice(Some(Notice::Cancelled))));
        assert_eq!(s.report(), &shown);
        assert!(matches!(
            s.status(),
            Status::Ready {
                phases: Some(_),
                ..
            }
        ));
        // The cancelled load's replies are ignored; cancel again is a no-op.
        assert!(finish(&mut s, loaded(2, 0, &AnalyzeParams::default())).is_empty());
        assert!(s.cancel().is_empty());
    }

    #[test]
    fn cancelling_the_first_load_shows_nothing() {
        let mut s: Session<File> = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        let out = s.cancel();
        assert_eq!(sent(&out), vec![Request::Cancel { run: 1 }]);
        assert!(out.contains(&Effect::FileName(None)));
        assert_eq!(s.status(), &Status::Idle);
    }

    #[test]
    fn a_failed_load_shows_its_error_and_a_remembered_mapping_is_tried() {
        let preview = ltv_engine::ingest::preview(
            b"Day,Amount\n2024-01-05,1000\n",
            &IngestOptions::default(),
        )
        .unwrap();
        let failed = |run| Reply::Failed {
            run,
            error: AppError::Engine(
                ErrorKind::MappingNeeded {
                    missing: vec![ltv_engine::mapping::Field::OrderDate],
                }
                .into(),
            ),
            preview: Some(Box::new(preview.clone())),
        };
        let mut s = Session::new(AnalyzeParams::default());
        s.open(File("a.csv"), 0.0);
        let out = s.on_reply(failed(1), 0.0, none);
        assert!(matches!(out[0], Effect::Mapping(Some(_))));
        assert!(matches!(out[1], Effect::Fatal(Some(AppError::Engine(_)))));
        assert_eq!(s.status(), &Status::Error);
        // The user maps the columns: remembered, and read again.
        let mut m = ColumnMapping::default();
        m.set(ltv_engine::mapping::Field::OrderDate, Some(0));
        m.set(ltv_engine::mapping::Field::OrderTotal, Some(1));
        let out = s.apply_mapping(m.clone(), 0.0);
        assert!(matches!(&out[0], Effect::Remember { mapping, .. } if *mapping == m));
        assert!(matches!(
            sent(&out)[..],
            [Request::Open { run: 2, ref options, .. }] if options.mapping.as_ref() == Some(&m)
        ));
        // A new file with that layout is read with the remembered mapping.
        s.open(File("b.csv"), 0.0);
        let remembered = |_: &[String]| Some(m.clone());
        let out = s.on_reply(failed(3), 0.0, remembered);
        assert_eq!(out[0], Effect::Notice(Some(Notice::RememberedMapping)));
        assert!(matches!(sent(&out)[..], [Request::Open { run: 4, .. }]));
        // Dropping the mapping step ignores the load's replies.
        s.cancel_mapping();
        assert!(s.on_reply(failed(4), 0.0, none).is_empty());
    }

    #[test]
    fn a_crashed_worker_is_an_error_of_its_own() {
        let mut s: Session<File> = Session::new(AnalyzeParams::default());
        let out = s.crashed("out of memory".into());
        assert_eq!(
            out[0],
            Effect::Fatal(Some(AppError::WorkerCrashed {
                message: "out of memory".into()
            }))
        );
    }

    /// The FNV-1a written by hand before the `fnv` crate: the keys must
    /// not change, or users lose their saved mappings.
    #[test]
    fn mapping_keys_are_the_ones_saved_before() {
        fn by_hand(headers: &[String]) -> String {
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
        for headers in [
            vec![],
            vec!["Day".to_string(), "Amount".into()],
            vec!["注文日".to_string(), " 合計金額 ".into(), "E-mail".into()],
        ] {
            assert_eq!(mapping_key(&headers), by_hand(&headers));
        }
        assert_eq!(mapping_key(&[]), "ltv-lens.mapping.cbf29ce484222325");
    }
}
