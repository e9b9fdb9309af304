//! The engine worker: the page's requests ([`crate::protocol::Request`])
//! answered with [`Reply`]s.
//!
//! In the browser this runs in a dedicated Web Worker (`public/worker.js`
//! instantiates the same wasm module the page uses and calls
//! [`worker_main`]), so reading a file of any size and computing every
//! analysis never blocks the page. Where no worker could be started (the
//! wasm unit tests' page) the page runs the same [`Engine`] itself.
//!
//! A load reads the `File` in slices of [`CHUNK`] bytes, so the whole file
//! is never in memory: what grows is the order store (16 bytes an order)
//! and the interned customer keys. Between slices the worker's event loop
//! runs, so a cancel request or a newer load stops the current one.

use super::bytes::Bytes;
use super::clock::{memory_mb, now_ms};
use super::codec::{decode, encode};
use super::js_bytes::csv_blob;
use super::peer::{Handed, Peer};
use super::reader::{Chunks, Reader, CHUNK};
use crate::error::AppError;
use crate::lists as customers;
use crate::protocol::{Input, Phases, Reply, Request};
use ltv_engine::error::ErrorKind;
use ltv_engine::export::ExportEncoding;
use ltv_engine::ingest::{
    is_workbook, preview, split_aim, split_point, Ingest, IngestOptions, PARTS_FROM_BYTES,
    SNIFF_BYTES,
};
use ltv_engine::report::{analyze, clv_report_with_progress, AnalyzeParams};
use ltv_engine::store::Dataset;
use ltv_sample::{shopify_csv, SampleParams};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Posts a reply to the page, with an extra JS value (an export's `Blob`).
type Post = dyn Fn(&Reply, Option<&JsValue>);

/// The engine: the order store of the last complete load, and the loads
/// in progress.
pub struct Engine {
    data: RefCell<Option<Dataset>>,
    /// The newest load asked for; an older one stops at its next slice.
    latest: Cell<u64>,
    /// A load the page asked to stop (0: none).
    cancel: Cell<u64>,
    post_with: Box<Post>,
    reader: Option<Rc<Reader>>,
    /// The helper worker that reads the second half of a large file.
    peer: Option<Rc<Peer>>,
}

/// How reading a range of the file ended.
enum Fed {
    Done,
    Failed(AppError),
    /// Superseded or cancelled (the page has been told).
    Stopped,
}

impl Engine {
    /// An engine that reads files itself, or through `reader`.
    pub fn new(
        post: impl Fn(&Reply, Option<&JsValue>) + 'static,
        reader: Option<Rc<Reader>>,
        peer: Option<Rc<Peer>>,
    ) -> Rc<Engine> {
        Rc::new(Engine {
            data: RefCell::new(None),
            latest: Cell::new(0),
            cancel: Cell::new(0),
            post_with: Box::new(post),
            reader,
            peer,
        })
    }

    /// Posts a reply to the page.
    fn post(&self, reply: &Reply) {
        (self.post_with)(reply, None)
    }

    /// Load `run` was superseded or cancelled.
    fn stopped(&self, run: u64) -> bool {
        self.latest.get() != run || self.cancel.get() == run
    }

    /// Ends a stopped load: the page is told of a cancel (a superseded
    /// load ends silently: the page ignores it).
    fn end_stopped(&self, run: u64) {
        if self.latest.get() == run && self.cancel.get() == run {
            self.post(&Reply::Cancelled { run });
        }
    }

    /// Handles one request; a load continues asynchronously.
    pub fn handle(self: &Rc<Self>, req: Request, extra: JsValue) {
        match req {
            Request::Open {
                run,
                input,
                options,
                params,
                seq,
            } => {
                self.latest.set(run);
                self.wake_helper(); // an older load waiting for it ends
                let bytes = match input {
                    Input::Sample => Bytes::Memory(Rc::new(
                        shopify_csv(&SampleParams::default()).0.into_bytes(),
                    )),
                    Input::File => match extra.dyn_into::<web_sys::Blob>() {
                        Ok(b) => Bytes::File(b),
                        Err(_) => Bytes::Memory(Rc::default()),
                    },
                };
                let me = Rc::clone(self);
                wasm_bindgen_futures::spawn_local(async move {
                    me.open(run, bytes, options, params, seq).await;
                });
            }
            Request::Cancel { run } => {
                self.cancel.set(run);
                self.wake_helper();
            }
            Request::Analyze { seq, params } => {
                let report = self
                    .data
                    .borrow()
                    .as_ref()
                    .map(|d| analyze(d, &params).map(Box::new));
                if let Some(report) = report {
                    self.post(&Reply::Analyzed { seq, report });
                }
            }
            Request::Export {
                id,
                list,
                encoding,
                params,
                with_clv,
            } => self.export(id, list, encoding, &params, with_clv),
            Request::Clv { id, params } => {
                let started = now_ms();
                // Each step is posted as it starts: the page shows it while
                // this worker is busy.
                let mut progress = |stage| self.post(&Reply::ClvProgress { id, stage });
                let result = self
                    .data
                    .borrow()
                    .as_ref()
                    .map(|d| clv_report_with_progress(d, &params, &mut progress).map(Box::new));
                if let Some(result) = result {
                    let seconds = (now_ms() - started) / 1000.0;
                    self.post(&Reply::Clv {
                        id,
                        result,
                        seconds,
                    });
                }
            }
        }
    }

    /// Writes a customer list from the order store and posts it with its
    /// bytes as a `Blob` (nothing without a store: the page only offers
    /// lists of a shown report).
    fn export(
        &self,
        id: u64,
        list: String,
        encoding: ExportEncoding,
        params: &AnalyzeParams,
        with_clv: bool,
    ) {
        let data = self.data.borrow();
        let Some(data) = data.as_ref() else {
            return;
        };
        let written = customers::export(data, params, &list, encoding, with_clv);
        let blob = written
            .as_ref()
            .ok()
            .and_then(|(_, bytes)| csv_blob(bytes, encoding));
        let result = written.map(|(meta, _)| meta);
        (self.post_with)(
            &Reply::Exported { id, list, result },
            blob.as_ref().map(|b| b.as_ref()),
        );
    }

    fn wake_helper(&self) {
        if let Some(peer) = &self.peer {
            peer.wake();
        }
    }

    /// For a large file: where its second half starts, and a helper
    /// started to read it.
    async fn split_for(&self, bytes: &Bytes) -> Option<(u64, Rc<Peer>)> {
        let total = bytes.len();
        if !matches!(bytes, Bytes::File(_)) || total < PARTS_FROM_BYTES {
            return None;
        }
        let mut window = Vec::new();
        bytes
            .read(split_aim(total), 1 << 20, &mut window)
            .await
            .ok()?;
        let split = split_point(total, &window)?;
        let peer = self.peer.as_ref().filter(|p| p.alive())?;
        Some((split, Rc::clone(peer)))
    }

    /// Reads bytes `start..end` of load `run` into `ingest`, posting
    /// progress (with the helper's, if it reads the rest meanwhile).
    #[allow(clippy::too_many_arguments)]
    async fn feed_range(
        &self,
        run: u64,
        ingest: &mut Ingest,
        bytes: &Bytes,
        (start, end): (u64, u64),
        head: &mut Vec<u8>,
        phases: &mut Phases,
        helper: Option<&Peer>,
    ) -> Fed {
        let total = bytes.len();
        let mut chunks = match (bytes, &self.reader) {
            (Bytes::File(file), Some(reader)) => Chunks::reader(reader, run, file, start, end),
            _ => Chunks::here(bytes.clone(), start, end),
        };
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
        let mut offset = start;
        while offset < end {
            let t = now_ms();
            let read = chunks.next(&mut buf).await;
            phases.read += (now_ms() - t) / 1000.0;
            if self.stopped(run) || matches!(read, Ok(false)) {
                if let Some(peer) = helper {
                    peer.stop(run);
                }
                self.end_stopped(run);
                return Fed::Stopped;
            }
            if let Err(e) = read {
                return Fed::Failed(e);
            }
            if buf.is_empty() {
                break;
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(buf.len());
                head.extend_from_slice(&buf[..take]);
            }
            offset += buf.len() as u64;
            let t = now_ms();
            let fed = ingest.feed(&buf);
            phases.parse += (now_ms() - t) / 1000.0;
            if let Err(e) = fed {
                return Fed::Failed(e.into());
            }
            let (more, rows) = helper.map_or((0, 0), |p| p.progress(run));
            self.post(&Reply::Progress {
                run,
                read: offset + more,
                total,
                rows: ingest.rows() + rows,
            });
        }
        Fed::Done
    }

    async fn open(
        &self,
        run: u64,
        bytes: Bytes,
        options: IngestOptions,
        params: AnalyzeParams,
        seq: u64,
    ) {
        let started = now_ms();
        let total = bytes.len();
        let mut ingest = Ingest::new(options.clone());
        let mut head: Vec<u8> = Vec::new();
        let mut phases = Phases {
            parts: 1,
            ..Phases::default()
        };
        // A large file: the helper reads its second half meanwhile.
        let split = self.split_for(&bytes).await;
        if let (Some((at, peer)), Bytes::File(file)) = (&split, &bytes) {
            peer.start(run, file, *at, &options);
        }
        let first = (0, split.as_ref().map_or(total, |(at, _)| *at));
        let helper = split.as_ref().map(|(_, p)| &**p);
        let mut fed = self
            .feed_range(
                run,
                &mut ingest,
                &bytes,
                first,
                &mut head,
                &mut phases,
                helper,
            )
            .await;
        if let (Some((at, peer)), Fed::Done) = (&split, &fed) {
            let t = now_ms();
            let handed = peer
                .wait(
                    run,
                    || self.stopped(run),
                    || {
                        let (more, rows) = peer.progress(run);
                        self.post(&Reply::Progress {
                            run,
                            read: at + more,
                            total,
                            rows: ingest.rows() + rows,
                        });
                    },
                )
                .await;
            phases.wait = (now_ms() - t) / 1000.0;
            let t = now_ms();
            let part = match handed {
                Handed::Stopped => {
                    self.end_stopped(run);
                    return;
                }
                Handed::Part {
                    bytes,
                    seconds,
                    memory_mb,
                } => {
                    phases.helper = seconds;
                    phases.helper_memory_mb = memory_mb;
                    bytes.into_part()
                }
            };
            let joined = match part {
                Some(p) if ingest.at_record_boundary() => ingest.join(p),
                _ => Ok(false),
            };
            phases.join = (now_ms() - t) / 1000.0;
            fed = match joined {
                Ok(true) => {
                    phases.parts = 2;
                    Fed::Done
                }
                // The helper could not read a part, or it does not join
                // exactly: read the rest here.
                Ok(false) => {
                    self.feed_range(
                        run,
                        &mut ingest,
                        &bytes,
                        (*at, total),
                        &mut head,
                        &mut phases,
                        None,
                    )
                    .await
                }
                Err(e) => Fed::Failed(e.into()),
            };
        }
        let failure = match fed {
            Fed::Done => None,
            Fed::Failed(e) => Some(e),
            Fed::Stopped => return,
        };
        let t = now_ms();
        let result = match failure {
            Some(e) => Err(e),
            None => ingest.finish().map_err(AppError::from),
        };
        phases.finish = (now_ms() - t) / 1000.0;
        match result {
            Ok(data) => {
                let t = now_ms();
                let report = analyze(&data, &params).map(Box::new);
                phases.analyze = (now_ms() - t) / 1000.0;
                phases.memory_mb = memory_mb();
                let info = Box::new(data.info.clone());
                *self.data.borrow_mut() = Some(data);
                self.post(&Reply::Loaded {
                    run,
                    seq,
                    info,
                    report,
                    seconds: (now_ms() - started) / 1000.0,
                    phases,
                });
            }
            Err(_) if self.latest.get() != run => {} // superseded meanwhile
            Err(error) => {
                // The page shows an error and no results: forget the old store.
                *self.data.borrow_mut() = None;
                let preview = if matches!(
                    error.engine_kind(),
                    Some(ErrorKind::MappingNeeded { .. } | ErrorKind::BadMapping { .. })
                ) {
                    // A workbook's preview needs the whole file.
                    if is_workbook(&head) {
                        let mut whole = Vec::new();
                        if bytes.read(0, total as usize, &mut whole).await.is_ok() {
                            head = whole;
                        }
                    }
                    let unmapped = IngestOptions {
                        mapping: None,
                        ..options
                    };
                    preview(&head, &unmapped).ok().map(Box::new)
                } else {
                    None
                };
                self.post(&Reply::Failed {
                    run,
                    error,
                    preview,
                });
            }
        }
    }
}

/// The worker's entry point, called by `public/worker.js` once the wasm
/// module is instantiated, with the ports to the file reader worker and to
/// the helper worker (each may be `undefined`): answers requests until the
/// page closes.
#[wasm_bindgen]
pub fn worker_main(reader_port: JsValue, peer_port: JsValue) {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let out = scope.clone();
    let reader = reader_port
        .dyn_into::<web_sys::MessagePort>()
        .ok()
        .map(Reader::new);
    let engine = Engine::new(
        move |reply, extra| {
            let _ = out.post_message(&encode(reply, extra));
        },
        reader,
        peer_port
            .dyn_into::<web_sys::MessagePort>()
            .ok()
            .map(Peer::new),
    );
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
        let engine = Rc::clone(&engine);
        move |ev: web_sys::MessageEvent| match decode::<Request>(&ev.data()) {
            Ok((req, extra)) => engine.handle(req, extra),
            Err(e) => web_sys::console::error_1(&format!("ltv-lens worker: {e}").into()),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(peer) = &engine.peer {
            peer.started().await;
        }
        engine.post(&Reply::Ready);
    });
}
