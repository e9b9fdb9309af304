//! The engine's side of the page ⇄ worker protocol ([`crate::protocol`]).
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

use crate::protocol::{Input, Reply, Request};
use ltv_engine::error::{Error, ErrorKind};
use ltv_engine::ingest::{is_workbook, preview, Ingest, IngestOptions, SNIFF_BYTES};
use ltv_engine::report::{analyze, AnalyzeParams, ReportWire};
use ltv_engine::sample::{shopify_csv, SampleParams};
use ltv_engine::store::Dataset;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Bytes read and parsed per step. Large enough that the per-slice cost
/// (a promise, a copy into wasm memory) is noise; small enough for a
/// progress update several times a second.
pub const CHUNK: usize = 8 << 20;

/// Encodes a message as `[json, extra]`.
pub fn encode<T: Serialize>(msg: &T, extra: Option<&JsValue>) -> js_sys::Array {
    let json = serde_json::to_string(msg).unwrap_or_default();
    let arr = js_sys::Array::new();
    arr.push(&JsValue::from_str(&json));
    arr.push(extra.unwrap_or(&JsValue::UNDEFINED));
    arr
}

/// Decodes a message made by [`encode`].
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, JsValue), String> {
    let arr: &js_sys::Array = data.dyn_ref().ok_or("a message is not an array")?;
    let json = arr.get(0).as_string().ok_or("a message has no JSON")?;
    let msg = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    Ok((msg, arr.get(1)))
}

/// Milliseconds on a clock that works in a page and in a worker.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Where a load's bytes come from.
enum Bytes {
    File(web_sys::Blob),
    Memory(Vec<u8>),
}

impl Bytes {
    fn len(&self) -> u64 {
        match self {
            Bytes::File(b) => b.size() as u64,
            Bytes::Memory(v) => v.len() as u64,
        }
    }

    /// Reads up to `len` bytes at `offset` into `buf` (cleared first).
    async fn read(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> Result<(), Error> {
        buf.clear();
        match self {
            Bytes::Memory(v) => {
                let start = (offset as usize).min(v.len());
                let end = start.saturating_add(len).min(v.len());
                buf.extend_from_slice(&v[start..end]);
                Ok(())
            }
            Bytes::File(blob) => {
                let end = (offset + len as u64).min(blob.size() as u64);
                let unreadable = |e: JsValue| -> Error {
                    ErrorKind::BadSetting {
                        detail: format!("the file could not be read: {e:?}"),
                    }
                    .into()
                };
                let slice = blob
                    .slice_with_f64_and_f64(offset as f64, end as f64)
                    .map_err(unreadable)?;
                let ab = JsFuture::from(slice.array_buffer())
                    .await
                    .map_err(unreadable)?;
                let view = js_sys::Uint8Array::new(&ab);
                buf.resize(view.length() as usize, 0);
                view.copy_to(buf);
                Ok(())
            }
        }
    }
}

/// The engine: the order store of the last complete load, and the loads
/// in progress.
pub struct Engine {
    data: RefCell<Option<Dataset>>,
    /// The newest load asked for; an older one stops at its next slice.
    latest: Cell<u64>,
    /// A load the page asked to stop (0: none).
    cancel: Cell<u64>,
    post: Box<dyn Fn(&Reply)>,
}

impl Engine {
    pub fn new(post: impl Fn(&Reply) + 'static) -> Rc<Engine> {
        Rc::new(Engine {
            data: RefCell::new(None),
            latest: Cell::new(0),
            cancel: Cell::new(0),
            post: Box::new(post),
        })
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
                let bytes = match input {
                    Input::Sample => {
                        Bytes::Memory(shopify_csv(&SampleParams::default()).0.into_bytes())
                    }
                    Input::File => match extra.dyn_into::<web_sys::Blob>() {
                        Ok(b) => Bytes::File(b),
                        Err(_) => Bytes::Memory(Vec::new()),
                    },
                };
                let me = Rc::clone(self);
                wasm_bindgen_futures::spawn_local(async move {
                    me.open(run, bytes, options, params, seq).await;
                });
            }
            Request::Cancel { run } => self.cancel.set(run),
            Request::Analyze { seq, params } => {
                let report = self
                    .data
                    .borrow()
                    .as_ref()
                    .map(|d| analyze(d, &params).map(|r| Box::new(ReportWire::from(r))));
                if let Some(report) = report {
                    (self.post)(&Reply::Analyzed { seq, report });
                }
            }
        }
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
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
        let mut offset = 0u64;
        let mut failure: Option<Error> = None;
        while offset < total {
            if let Err(e) = bytes.read(offset, CHUNK, &mut buf).await {
                failure = Some(e);
                break;
            }
            if self.latest.get() != run {
                return; // a newer load started; the page ignores this one
            }
            if self.cancel.get() == run {
                (self.post)(&Reply::Cancelled { run });
                return;
            }
            if buf.is_empty() {
                break;
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(buf.len());
                head.extend_from_slice(&buf[..take]);
            }
            offset += buf.len() as u64;
            if let Err(e) = ingest.feed(&buf) {
                failure = Some(e);
                break;
            }
            (self.post)(&Reply::Progress {
                run,
                read: offset,
                total,
                rows: ingest.rows(),
            });
        }
        drop(buf);
        let result = match failure {
            Some(e) => Err(e),
            None => ingest.finish(),
        };
        match result {
            Ok(data) => {
                let report = analyze(&data, &params).map(|r| Box::new(ReportWire::from(r)));
                let info = Box::new(data.info.clone());
                *self.data.borrow_mut() = Some(data);
                (self.post)(&Reply::Loaded {
                    run,
                    seq,
                    info,
                    report,
                    seconds: (now_ms() - started) / 1000.0,
                });
            }
            Err(error) => {
                // The page shows an error and no results: forget the old store.
                *self.data.borrow_mut() = None;
                let preview = if matches!(
                    error.kind,
                    ErrorKind::MappingNeeded { .. } | ErrorKind::BadMapping { .. }
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
                (self.post)(&Reply::Failed {
                    run,
                    error,
                    preview,
                });
            }
        }
    }
}

/// The worker's entry point, called by `public/worker.js` once the wasm
/// module is instantiated: answers requests until the page closes.
#[wasm_bindgen]
pub fn worker_main() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let out = scope.clone();
    let engine = Engine::new(move |reply| {
        let _ = out.post_message(&encode(reply, None));
    });
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
        let engine = Rc::clone(&engine);
        move |ev: web_sys::MessageEvent| match decode::<Request>(&ev.data()) {
            Ok((req, extra)) => engine.handle(req, extra),
            Err(e) => web_sys::console::error_1(&format!("ltv-lens worker: {e}").into()),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    (engine.post)(&Reply::Ready);
}
