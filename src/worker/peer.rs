//! Reading a large file on two cores, seen from the engine: the engine
//! worker reads the first half, the helper worker ([`super::helper`])
//! reads the rest as an [`ltv_engine::ingest::Part`] and hands it over as
//! bytes, and the engine joins it (exactly what one read gives, or it
//! reads the rest itself: see `ltv_engine::ingest::part`).
//!
//! The two workers talk over a `MessageChannel` in
//! [`crate::protocol::PeerMsg`]s (the `File` or the part's bytes
//! transferred as the extra).

use super::clock::now_ms;
use super::codec::{decode, encode};
use super::js_bytes::JsBytes;
use super::wake::Wake;
use crate::protocol::PeerMsg;
use ltv_engine::ingest::IngestOptions;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
    /// A message came, or the load waiting for the helper may have been
    /// superseded or cancelled.
    changed: Wake,
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
            changed: Wake::default(),
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
            self.changed.wait_at_most(Some(left.ceil() as u32)).await;
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
            Ok(_) => {}
            Err(e) => web_sys::console::error_1(&format!("ltv-lens helper: {e}").into()),
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
        self.changed.wake();
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
            self.changed.wait().await;
        }
    }
}
