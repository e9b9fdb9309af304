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

use crate::parts::{Handed, Peer};
use crate::protocol::{Input, Phases, Reply, Request};
use ltv_engine::error::{Error, ErrorKind};
use ltv_engine::ingest::{
    is_workbook, preview, split_aim, split_point, Ingest, IngestOptions, PARTS_FROM_BYTES,
    SNIFF_BYTES,
};
use ltv_engine::report::{analyze, AnalyzeParams, ReportWire};
use ltv_engine::store::Dataset;
use ltv_sample::{shopify_csv, SampleParams};
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
/// progress update several times a second. 8 MiB was no faster on the
/// 1M-line-item file and held 16 to 18 MB more in each engine worker.
pub const CHUNK: usize = 4 << 20;

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
pub(crate) fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// This instance's wasm memory in MB (it only grows: its peak).
pub(crate) fn memory_mb() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| b.byte_length() as f64 / 1e6)
}

/// Where a load's bytes come from.
#[derive(Clone)]
pub(crate) enum Bytes {
    File(web_sys::Blob),
    Memory(Rc<Vec<u8>>),
}

impl Bytes {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Bytes::File(b) => b.size() as u64,
            Bytes::Memory(v) => v.len() as u64,
        }
    }

    /// Reads up to `len` bytes at `offset` into `buf` (replacing its
    /// bytes), in this thread.
    pub(crate) async fn read(
        &self,
        offset: u64,
        len: usize,
        buf: &mut Vec<u8>,
    ) -> Result<(), Error> {
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

/// Copies an `ArrayBuffer` into `buf`, replacing its bytes, and frees the
/// buffer's memory at once (see [`release`]).
pub(crate) fn copy_into(ab: &JsValue, buf: &mut Vec<u8>) {
    let view = js_sys::Uint8Array::new(ab);
    buf.resize(view.length() as usize, 0);
    view.copy_to(buf);
    release(ab);
}

/// Frees an `ArrayBuffer`'s memory now rather than at the next garbage
/// collection: it is transferred into a message to a port whose other end
/// is closed, so the message and the bytes are dropped at once. Slices of
/// several MB arrive faster than a worker's collector runs (it counts few
/// JS allocations here); the two engine workers held over 150 MB of spent
/// slices at their peak. (`ArrayBuffer.prototype.transfer(0)` does not do
/// this: V8 may move the bytes to the new, empty buffer.)
pub(crate) fn release(ab: &JsValue) {
    thread_local! {
        static SINK: Option<web_sys::MessagePort> = web_sys::MessageChannel::new().ok().map(|c| {
            c.port2().close();
            c.port1()
        });
    }
    SINK.with(|sink| {
        if let Some(port) = sink {
            let _ = port.post_message_with_transferable(&JsValue::NULL, &js_sys::Array::of1(ab));
        }
    });
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
const READ_AHEAD: u32 = 4;

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

    /// Starts reading bytes `start..end` of `file` for load `run`. A load
    /// still waiting for a slice is woken and finds it has been superseded.
    fn start(&self, run: u64, file: &web_sys::Blob, start: u64, end: u64) {
        self.current.set(run);
        self.queue.borrow_mut().clear();
        if let Some(wake) = self.waiter.borrow_mut().take() {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
        self.send(&[
            ("type", &"read".into()),
            ("id", &JsValue::from(run as f64)),
            ("file", file),
            ("start", &JsValue::from(start as f64)),
            ("end", &JsValue::from(end as f64)),
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
pub(crate) enum Chunks {
    /// Read here, slice by slice, up to `end`.
    Here { bytes: Bytes, offset: u64, end: u64 },
    /// Read ahead by the reader worker.
    Reader { reader: Rc<Reader>, run: u64 },
}

impl Chunks {
    /// Bytes `start..end` of `file`, read ahead by the reader worker.
    pub(crate) fn reader(
        reader: &Rc<Reader>,
        run: u64,
        file: &web_sys::Blob,
        start: u64,
        end: u64,
    ) -> Chunks {
        reader.start(run, file, start, end);
        Chunks::Reader {
            reader: Rc::clone(reader),
            run,
        }
    }

    /// Bytes `start..end`, read in this thread.
    pub(crate) fn here(bytes: Bytes, start: u64, end: u64) -> Chunks {
        Chunks::Here {
            bytes,
            offset: start,
            end,
        }
    }

    /// The next slice into `buf`; `Ok(false)` if this load was superseded.
    pub(crate) async fn next(&mut self, buf: &mut Vec<u8>) -> Result<bool, Error> {
        match self {
            Chunks::Here { bytes, offset, end } => {
                let len = CHUNK.min(usize::try_from(end.saturating_sub(*offset)).unwrap_or(CHUNK));
                bytes.read(*offset, len, buf).await?;
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
    /// The helper worker that reads the second half of a large file.
    peer: Option<Rc<Peer>>,
}

/// How reading a range of the file ended.
enum Fed {
    Done,
    Failed(Error),
    /// Superseded or cancelled (the page has been told).
    Stopped,
}

impl Engine {
    /// An engine that reads files itself, or through `reader`.
    pub fn new(
        post: impl Fn(&Reply) + 'static,
        reader: Option<Rc<Reader>>,
        peer: Option<Rc<Peer>>,
    ) -> Rc<Engine> {
        Rc::new(Engine {
            data: RefCell::new(None),
            latest: Cell::new(0),
            cancel: Cell::new(0),
            post: Box::new(post),
            reader,
            peer,
        })
    }

    /// Load `run` was superseded or cancelled.
    fn stopped(&self, run: u64) -> bool {
        self.latest.get() != run || self.cancel.get() == run
    }

    /// Ends a stopped load: the page is told of a cancel (a superseded
    /// load ends silently: the page ignores it).
    fn end_stopped(&self, run: u64) {
        if self.latest.get() == run && self.cancel.get() == run {
            (self.post)(&Reply::Cancelled { run });
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
                    .map(|d| analyze(d, &params).map(|r| Box::new(ReportWire::from(r))));
                if let Some(report) = report {
                    (self.post)(&Reply::Analyzed { seq, report });
                }
            }
        }
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
                return Fed::Failed(e);
            }
            let (more, rows) = helper.map_or((0, 0), |p| p.progress(run));
            (self.post)(&Reply::Progress {
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
                        (self.post)(&Reply::Progress {
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
                Err(e) => Fed::Failed(e),
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
            None => ingest.finish(),
        };
        phases.finish = (now_ms() - t) / 1000.0;
        match result {
            Ok(data) => {
                let t = now_ms();
                let report = analyze(&data, &params).map(|r| Box::new(ReportWire::from(r)));
                phases.analyze = (now_ms() - t) / 1000.0;
                phases.memory_mb = memory_mb();
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
        move |reply| {
            let _ = out.post_message(&encode(reply, None));
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
        (engine.post)(&Reply::Ready);
    });
}
