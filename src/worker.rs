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

use crate::protocol::{Input, Phases, Reply, Request};
use ltv_engine::error::{Error, ErrorKind};
use ltv_engine::ingest::{is_workbook, preview, Ingest, IngestOptions, SNIFF_BYTES};
use ltv_engine::report::{analyze, AnalyzeParams, ReportWire};
use ltv_engine::sample::{shopify_csv, SampleParams};
use ltv_engine::store::Dataset;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
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

/// Milliseconds on a clock that works in a page and in a worker
/// (`performance.now()`, else `Date.now()`).
fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Where a load's bytes come from.
#[derive(Clone)]
enum Bytes {
    File(web_sys::Blob),
    Memory(Rc<Vec<u8>>),
}

impl Bytes {
    fn len(&self) -> u64 {
        match self {
            Bytes::File(b) => b.size() as u64,
            Bytes::Memory(v) => v.len() as u64,
        }
    }

    /// Reads up to `len` bytes at `offset` into `buf` (replacing its
    /// bytes), in this thread.
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
                let slice = blob
                    .slice_with_f64_and_f64(offset as f64, end as f64)
                    .map_err(unreadable)?;
                let ab = JsFuture::from(slice.array_buffer())
                    .await
                    .map_err(unreadable)?;
                copy_into(&ab, buf);
                Ok(())
            }
        }
    }
}

fn unreadable(e: JsValue) -> Error {
    ErrorKind::BadSetting {
        detail: format!("the file could not be read: {e:?}"),
    }
    .into()
}

/// Copies an `ArrayBuffer` into `buf`, replacing its bytes.
fn copy_into(ab: &JsValue, buf: &mut Vec<u8>) {
    let view = js_sys::Uint8Array::new(ab);
    buf.resize(view.length() as usize, 0);
    view.copy_to(buf);
}

/// The file reader worker (`public/reader.js`), reached through a
/// `MessagePort`: it reads slices of a `File` on its own thread, a few
/// ahead of the parser, and transfers them here. Reading a slice in this
/// thread would cost the parser its time (a Blob read is served on the
/// thread that asked: 0.5 s of 2.7 s for 271 MB).
pub struct Reader {
    port: web_sys::MessagePort,
    queue: RefCell<VecDeque<JsValue>>,
    waiter: RefCell<Option<js_sys::Function>>,
    /// The load whose slices the reader sends now.
    current: Cell<u64>,
}

/// Slices the reader keeps ready ahead of the parser.
const READ_AHEAD: u32 = 3;

impl Reader {
    pub fn new(port: web_sys::MessagePort) -> Rc<Reader> {
        let reader = Rc::new(Reader {
            port,
            queue: RefCell::new(VecDeque::new()),
            waiter: RefCell::new(None),
            current: Cell::new(0),
        });
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
            let reader = Rc::downgrade(&reader);
            move |ev: web_sys::MessageEvent| {
                if let Some(r) = reader.upgrade() {
                    r.queue.borrow_mut().push_back(ev.data());
                    if let Some(wake) = r.waiter.borrow_mut().take() {
                        let _ = wake.call0(&JsValue::UNDEFINED);
                    }
                }
            }
        });
        reader
            .port
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        reader
    }

    fn send(&self, fields: &[(&str, &JsValue)]) {
        let msg = js_sys::Object::new();
        for (k, v) in fields {
            let _ = js_sys::Reflect::set(&msg, &(*k).into(), v);
        }
        let _ = self.port.post_message(&msg);
    }

    /// Starts reading `file` for load `run`. A load still waiting for a
    /// slice is woken and finds it has been superseded.
    fn start(&self, run: u64, file: &web_sys::Blob) {
        self.current.set(run);
        self.queue.borrow_mut().clear();
        if let Some(wake) = self.waiter.borrow_mut().take() {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
        self.send(&[
            ("type", &"read".into()),
            ("id", &JsValue::from(run as f64)),
            ("file", file),
            ("chunk", &JsValue::from(CHUNK as f64)),
            ("ahead", &JsValue::from(READ_AHEAD)),
        ]);
    }

    /// Asks for one more slice of load `run`, or stops it.
    fn ack(&self, run: u64) {
        self.send(&[("type", &"ack".into()), ("id", &JsValue::from(run as f64))]);
    }
    /// Stops load `run`, unless a newer load has started.
    fn stop(&self, run: u64) {
        if self.current.get() == run {
            self.send(&[("type", &"stop".into())]);
        }
    }

    /// The next slice of load `run` into `buf` (empty at the end of file);
    /// `Ok(false)` once a newer load has taken the reader.
    async fn next(&self, run: u64, buf: &mut Vec<u8>) -> Result<bool, Error> {
        loop {
            if self.current.get() != run {
                return Ok(false);
            }
            let msg = self.queue.borrow_mut().pop_front();
            let Some(msg) = msg else {
                let promise = js_sys::Promise::new(&mut |resolve, _| {
                    *self.waiter.borrow_mut() = Some(resolve);
                });
                let _ = JsFuture::from(promise).await;
                continue;
            };
            let get = |k: &str| js_sys::Reflect::get(&msg, &k.into()).unwrap_or_default();
            if get("id").as_f64() != Some(run as f64) {
                continue; // a slice of an older load
            }
            let error = get("error");
            if !error.is_undefined() {
                return Err(unreadable(error));
            }
            let data = get("buf");
            if data.is_undefined() {
                buf.clear(); // end of file
            } else {
                copy_into(&data, buf);
                self.ack(run);
            }
            return Ok(true);
        }
    }
}

/// Where a load's slices come from.
enum Chunks {
    /// Read here, slice by slice.
    Here { bytes: Bytes, offset: u64 },
    /// Read ahead by the reader worker.
    Reader { reader: Rc<Reader>, run: u64 },
}

impl Chunks {
    /// The next slice into `buf`; `Ok(false)` if this load was superseded.
    async fn next(&mut self, buf: &mut Vec<u8>) -> Result<bool, Error> {
        match self {
            Chunks::Here { bytes, offset } => {
                bytes.read(*offset, CHUNK, buf).await?;
                *offset += buf.len() as u64;
                Ok(true)
            }
            Chunks::Reader { reader, run } => reader.next(*run, buf).await,
        }
    }
}

impl Drop for Chunks {
    fn drop(&mut self) {
        if let Chunks::Reader { reader, run } = self {
            reader.stop(*run);
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
    reader: Option<Rc<Reader>>,
}

impl Engine {
    /// An engine that reads files itself, or through `reader`.
    pub fn new(post: impl Fn(&Reply) + 'static, reader: Option<Rc<Reader>>) -> Rc<Engine> {
        Rc::new(Engine {
            data: RefCell::new(None),
            latest: Cell::new(0),
            cancel: Cell::new(0),
            post: Box::new(post),
            reader,
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
        let mut phases = Phases::default();
        let mut chunks = match (&bytes, &self.reader) {
            (Bytes::File(file), Some(reader)) => {
                reader.start(run, file);
                Chunks::Reader {
                    reader: Rc::clone(reader),
                    run,
                }
            }
            _ => Chunks::Here {
                bytes: bytes.clone(),
                offset: 0,
            },
        };
        while offset < total {
            let t = now_ms();
            let read = chunks.next(&mut buf).await;
            phases.read += (now_ms() - t) / 1000.0;
            if self.latest.get() != run || matches!(read, Ok(false)) {
                return; // a newer load started; the page ignores this one
            }
            if let Err(e) = read {
                failure = Some(e);
                break;
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
            let t = now_ms();
            let fed = ingest.feed(&buf);
            phases.parse += (now_ms() - t) / 1000.0;
            if let Err(e) = fed {
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
        drop(chunks);
        let t = now_ms();
        let result = match failure {
            Some(e) => Err(e),
            None => ingest.finish(),
        };
        phases.finish = (now_ms() - t) / 1000.0;
        match result {
            Ok(data) => {
                let t = now_ms();
                let report = analyze(&data, &params).map(|r| Box::new(ReportWire::from(r)));
                phases.analyze = (now_ms() - t) / 1000.0;
                let info = Box::new(data.info.clone());
                *self.data.borrow_mut() = Some(data);
                (self.post)(&Reply::Loaded {
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
/// module is instantiated, with the port to the file reader worker (or
/// `undefined`): answers requests until the page closes.
#[wasm_bindgen]
pub fn worker_main(reader_port: JsValue) {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let out = scope.clone();
    let reader = reader_port
        .dyn_into::<web_sys::MessagePort>()
        .ok()
        .map(Reader::new);
    let engine = Engine::new(
        move |reply| {
            let _ = out.post_message(&encode(reply, None));
        },
        reader,
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
    (engine.post)(&Reply::Ready);
}
