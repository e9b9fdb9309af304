//! Reading a large file on two cores: the engine worker reads the first
//! half, a second engine worker (the helper, `public/worker.js` with the
//! role `helper`, started by `public/boot.js` with the engine) reads the rest as an [`ltv_engine::ingest::Part`] and
//! hands it over as bytes, and the engine joins it (exactly what one read
//! gives, or it reads the rest itself: see `ltv_engine::ingest::part`).
//!
//! The two workers talk over a `MessageChannel` in [`PeerMsg`]s (JSON plus
//! the `File` or the part's bytes, transferred).

use crate::worker::{decode, encode, memory_mb, now_ms, release, Bytes, Chunks, Reader};
use ltv_engine::ingest::{Ingest, IngestOptions, Part, PartSink, PartSource, SNIFF_BYTES};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Engine ⇄ helper messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PeerMsg {
    /// Helper → engine: started (its script and the wasm glue fetched).
    Hello,
    /// Engine → helper: read the file (the extra) from `split` to its end
    /// as a part of load `run`.
    Read {
        run: u64,
        split: u64,
        options: IngestOptions,
    },
    /// Engine → helper: stop load `run`.
    Stop { run: u64 },
    /// Helper → engine: bytes read and rows so far.
    Progress { run: u64, read: u64, rows: u64 },
    /// Helper → engine: the part's bytes (the extra: an `ArrayBuffer`),
    /// or none if the file cannot be read in parts; the helper's time and
    /// wasm memory (MB).
    Done {
        run: u64,
        seconds: f64,
        memory_mb: f64,
    },
    /// `worker.js` → engine: the helper died (out of memory); read alone.
    Died,
}

/// What the engine got from the helper for a load.
pub enum Handed {
    /// The part's bytes (empty: the helper could not read a part), the
    /// helper's seconds and wasm memory.
    Part {
        bytes: JsBytes,
        seconds: f64,
        memory_mb: f64,
    },
    /// The load was superseded or cancelled while waiting.
    Stopped,
}

/// How long the engine waits for the helper's hello before it says it is
/// ready without it.
const HELLO_WITHIN_MS: f64 = 5_000.0;

/// The engine's handle on the helper worker, which `public/boot.js`
/// started beside it while the page loaded (a worker started later would
/// fetch its script: a request after load). It lives as long as the page
/// and serves one load at a time.
pub struct Peer {
    port: web_sys::MessagePort,
    /// It said hello / it has not died.
    started: Cell<bool>,
    alive: Cell<bool>,
    /// The load the helper works on, and its progress.
    run: Cell<u64>,
    read: Cell<u64>,
    rows: Cell<u64>,
    done: RefCell<VecDeque<(u64, JsValue, f64, f64)>>,
    waiter: RefCell<Option<js_sys::Function>>,
}

impl Peer {
    pub fn new(port: web_sys::MessagePort) -> Rc<Peer> {
        let peer = Rc::new(Peer {
            port,
            started: Cell::new(false),
            alive: Cell::new(true),
            run: Cell::new(0),
            read: Cell::new(0),
            rows: Cell::new(0),
            done: RefCell::new(VecDeque::new()),
            waiter: RefCell::new(None),
        });
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
            let me = Rc::downgrade(&peer);
            move |ev: web_sys::MessageEvent| {
                if let Some(p) = me.upgrade() {
                    p.on_message(&ev.data());
                }
            }
        });
        peer.port
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget(); // lives as long as the page
        peer
    }

    /// The helper can take a load: it said hello and has not died.
    pub fn alive(&self) -> bool {
        self.started.get() && self.alive.get()
    }

    /// Waits until the helper has started or died, so that the engine
    /// says it is ready (and the page counts requests) only once every
    /// worker has fetched what it needs.
    /// A helper whose script never ran (so it cannot even say it died) is
    /// given up after [`HELLO_WITHIN_MS`]: files are then read on one core
    /// (a hello after that still makes it usable).
    pub async fn started(&self) {
        let give_up = now_ms() + HELLO_WITHIN_MS;
        while !self.started.get() && self.alive.get() {
            let left = give_up - now_ms();
            if left <= 0.0 {
                return;
            }
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                let _ = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .map(|set_timeout| {
                        set_timeout.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(left))
                    });
                *self.waiter.borrow_mut() = Some(resolve);
            });
            let _ = JsFuture::from(promise).await;
        }
    }

    fn on_message(&self, data: &JsValue) {
        match decode::<PeerMsg>(data) {
            Ok((PeerMsg::Hello, _)) => self.started.set(true),
            Ok((PeerMsg::Progress { run, read, rows }, _)) if run == self.run.get() => {
                self.read.set(read);
                self.rows.set(rows);
            }
            Ok((
                PeerMsg::Done {
                    run,
                    seconds,
                    memory_mb,
                },
                extra,
            )) => {
                self.done
                    .borrow_mut()
                    .push_back((run, extra, seconds, memory_mb));
            }
            Ok((PeerMsg::Died, _)) => {
                self.alive.set(false);
                self.done
                    .borrow_mut()
                    .push_back((self.run.get(), JsValue::UNDEFINED, 0.0, 0.0));
            }
            _ => {}
        }
        self.wake();
    }

    /// Stops the helper's work on load `run` (at its next slice).
    pub fn stop(&self, run: u64) {
        let _ = self
            .port
            .post_message(&encode(&PeerMsg::Stop { run }, None));
    }

    /// Bytes read and rows of the helper's part of load `run`.
    pub fn progress(&self, run: u64) -> (u64, u64) {
        if self.run.get() == run {
            (self.read.get(), self.rows.get())
        } else {
            (0, 0)
        }
    }

    /// Asks the helper to read `file` from `split` on as a part.
    pub fn start(&self, run: u64, file: &web_sys::Blob, split: u64, options: &IngestOptions) {
        self.run.set(run);
        self.read.set(0);
        self.rows.set(0);
        self.done.borrow_mut().clear();
        let msg = PeerMsg::Read {
            run,
            split,
            options: options.clone(),
        };
        let _ = self.port.post_message(&encode(&msg, Some(file)));
    }

    /// Wakes a load waiting for the helper (to see a cancel or a newer
    /// load, or a message).
    pub fn wake(&self) {
        if let Some(wake) = self.waiter.borrow_mut().take() {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }

    /// Waits for the helper's part of load `run`; `on_progress` after
    /// each message meanwhile; [`Handed::Stopped`] once `stopped()`.
    pub async fn wait(
        &self,
        run: u64,
        stopped: impl Fn() -> bool,
        on_progress: impl Fn(),
    ) -> Handed {
        loop {
            if stopped() {
                self.stop(run);
                return Handed::Stopped;
            }
            let next = self.done.borrow_mut().pop_front();
            match next {
                Some((r, extra, seconds, memory_mb)) if r == run => {
                    return Handed::Part {
                        bytes: JsBytes::new(&extra),
                        seconds,
                        memory_mb,
                    };
                }
                Some(_) => continue, // an older load's part
                None => {}
            }
            on_progress();
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                *self.waiter.borrow_mut() = Some(resolve);
            });
            let _ = JsFuture::from(promise).await;
        }
    }
}

/// A part's byte form in a JS `Uint8Array`, written and read piece by
/// piece (see [`PartSink`], [`PartSource`]).
pub struct JsBytes {
    array: js_sys::Uint8Array,
    pos: u32,
}

impl JsBytes {
    fn with_length(len: usize) -> JsBytes {
        JsBytes {
            array: js_sys::Uint8Array::new_with_length(len as u32),
            pos: 0,
        }
    }

    /// The bytes of an `ArrayBuffer` (none for anything else).
    fn new(buffer: &JsValue) -> JsBytes {
        JsBytes {
            array: if buffer.is_object() {
                js_sys::Uint8Array::new(buffer)
            } else {
                js_sys::Uint8Array::new_with_length(0)
            },
            pos: 0,
        }
    }

    /// Reads the part, then frees the buffer.
    pub fn into_part(mut self) -> Option<Part> {
        let part = Part::read(&mut self);
        release(&self.array.buffer());
        part
    }
}

impl PartSink for JsBytes {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.pos + bytes.len() as u32;
        if end <= self.array.length() {
            self.array.subarray(self.pos, end).copy_from(bytes);
        }
        self.pos = end;
    }
}

impl PartSource for JsBytes {
    fn fill(&mut self, buf: &mut [u8]) -> bool {
        let end = self.pos as usize + buf.len();
        if end > self.array.length() as usize {
            return false;
        }
        self.array.subarray(self.pos, end as u32).copy_to(buf);
        self.pos = end as u32;
        true
    }
    fn remaining(&self) -> usize {
        (self.array.length() - self.pos) as usize
    }
}

/// The helper's state: the load it reads, and how to reach the engine.
struct Helper {
    port: web_sys::MessagePort,
    reader: Option<Rc<Reader>>,
    /// The newest load asked for; older ones stop at their next slice.
    latest: Cell<u64>,
    /// A load the engine stopped.
    stopped: Cell<u64>,
}

impl Helper {
    fn post(&self, msg: &PeerMsg, extra: Option<&JsValue>, transfer: Option<&JsValue>) {
        let data = encode(msg, extra);
        let _ = match transfer {
            Some(t) => self
                .port
                .post_message_with_transferable(&data, &js_sys::Array::of1(t)),
            None => self.port.post_message(&data),
        };
    }

    /// Tells the engine it gets no part for load `run` (it reads on).
    fn refuse(&self, run: u64) {
        let done = PeerMsg::Done {
            run,
            seconds: 0.0,
            memory_mb: 0.0,
        };
        self.post(&done, None, None);
    }

    fn live(&self, run: u64) -> bool {
        self.latest.get() == run && self.stopped.get() != run
    }

    /// Reads `file` from `split` to its end as a part of load `run`.
    async fn read(&self, run: u64, file: web_sys::Blob, split: u64, options: IngestOptions) {
        let started = now_ms();
        let bytes = Bytes::File(file.clone());
        let total = bytes.len();
        let mut head = Vec::new();
        let part = match bytes.read(0, SNIFF_BYTES, &mut head).await {
            Ok(()) => Ingest::part(&head, options).ok().flatten(),
            Err(_) => None,
        };
        let Some(mut part) = part else {
            self.refuse(run);
            return;
        };
        let mut chunks = match &self.reader {
            Some(reader) => Chunks::reader(reader, run, &file, split, total),
            None => Chunks::here(bytes, split, total),
        };
        let mut buf = Vec::new();
        let mut read = 0u64;
        while split + read < total {
            let got = chunks.next(&mut buf).await;
            if !self.live(run) || matches!(got, Ok(false)) {
                return;
            }
            if got.is_err() || buf.is_empty() {
                self.refuse(run);
                return;
            }
            read += buf.len() as u64;
            if part.feed(&buf).is_err() {
                self.refuse(run);
                return;
            }
            let rows = part.rows();
            self.post(&PeerMsg::Progress { run, read, rows }, None, None);
        }
        drop(chunks);
        drop(buf);
        let Ok(part) = part.into_part() else {
            self.refuse(run);
            return;
        };
        // Written straight into a JS buffer: the bytes are never twice in
        // this worker's wasm memory.
        let mut out = JsBytes::with_length(part.byte_len());
        part.write(&mut out);
        drop(part);
        let buffer = out.array.buffer();
        let seconds = (now_ms() - started) / 1000.0;
        let memory_mb = memory_mb();
        self.post(
            &PeerMsg::Done {
                run,
                seconds,
                memory_mb,
            },
            Some(&buffer),
            Some(&buffer),
        );
    }
}

/// The helper worker's entry point, called by `public/worker.js` with the
/// port to its file reader (or `undefined`) and the port to the engine.
#[wasm_bindgen]
pub fn helper_main(reader_port: JsValue, peer_port: JsValue) {
    console_error_panic_hook::set_once();
    let Ok(port) = peer_port.dyn_into::<web_sys::MessagePort>() else {
        return;
    };
    let helper = Rc::new(Helper {
        port,
        reader: reader_port
            .dyn_into::<web_sys::MessagePort>()
            .ok()
            .map(Reader::new),
        latest: Cell::new(0),
        stopped: Cell::new(0),
    });
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
        let helper = Rc::clone(&helper);
        move |ev: web_sys::MessageEvent| match decode::<PeerMsg>(&ev.data()) {
            Ok((
                PeerMsg::Read {
                    run,
                    split,
                    options,
                },
                extra,
            )) => {
                helper.latest.set(run);
                let h = Rc::clone(&helper);
                wasm_bindgen_futures::spawn_local(async move {
                    match extra.dyn_into::<web_sys::Blob>() {
                        Ok(file) => h.read(run, file, split, options).await,
                        Err(_) => h.refuse(run),
                    }
                });
            }
            Ok((PeerMsg::Stop { run }, _)) => helper.stopped.set(run),
            _ => {}
        }
    });
    helper
        .port
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    helper.post(&PeerMsg::Hello, None, None);
}
