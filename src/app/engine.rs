//! The page's handle on the engine: the Web Worker that `public/boot.js`
//! started with the page's own compiled wasm module (and passed to
//! [`crate::app::page_main`]), or, where there is none (the wasm unit
//! tests' page), the same [`Engine`] run in the page. Either way requests
//! and replies go through the same JSON messages.

use crate::protocol::{Reply, Request};
use crate::worker::codec::{decode, encode};
use crate::worker::engine::Engine;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How the engine runs: `data-engine` on `<html>` once it is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Worker,
    InPage,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Worker => "worker",
            Mode::InPage => "in-page",
        }
    }
}

enum Transport {
    Worker(web_sys::Worker),
    InPage(Rc<Engine>),
}

/// Sends requests; replies go to the callback given to [`Client::start`].
#[derive(Clone)]
pub struct Client {
    transport: Rc<Transport>,
    ready: Rc<Cell<bool>>,
    /// Requests made before the worker said it is ready.
    queue: Rc<RefCell<Vec<js_sys::Array>>>,
}

impl Client {
    /// Connects to `worker` (or, without one, starts the in-page engine). `on_reply`
    /// gets every reply but `Ready`, with its extra (an export's `Blob`); `on_ready` is called once; `on_crash`
    /// if the worker dies (a bug: the engine returns errors, it does not
    /// panic).
    pub fn start(
        worker: Option<web_sys::Worker>,
        on_reply: impl Fn(Reply, JsValue) + 'static,
        on_ready: impl Fn(Mode) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Client {
        let on_reply: Rc<dyn Fn(Reply, JsValue)> = Rc::new(on_reply);
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<js_sys::Array>>> = Rc::new(RefCell::new(Vec::new()));
        let transport = match worker {
            Some(worker) => {
                let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
                    let (ready, queue, worker) = (ready.clone(), queue.clone(), worker.clone());
                    move |ev: web_sys::MessageEvent| match decode::<Reply>(&ev.data()) {
                        Ok((Reply::Ready, _)) => {
                            ready.set(true);
                            for msg in queue.borrow_mut().drain(..) {
                                let _ = worker.post_message(&msg);
                            }
                            on_ready(Mode::Worker);
                            wasm_bindgen_futures::spawn_local(async {
                                gloo_timers::future::TimeoutFuture::new(0).await;
                                warm_up();
                            });
                        }
                        Ok((reply, extra)) => on_reply(reply, extra),
                        Err(e) => web_sys::console::error_1(&format!("ltv-lens: {e}").into()),
                    }
                });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                on_message.forget();
                // A worker whose script could not start fires a plain Event,
                // not an ErrorEvent: its message is read, never assumed.
                let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                    let message = js_sys::Reflect::get(&ev, &"message".into())
                        .ok()
                        .and_then(|m| m.as_string())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "the engine worker could not start".to_string());
                    on_crash(message)
                });
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                on_error.forget();
                Transport::Worker(worker)
            }
            None => {
                // Replies are delivered on a later turn, as a worker's are,
                // and through JSON, as a worker's are.
                let engine = Engine::new(
                    move |reply: &Reply, extra: Option<&JsValue>| {
                        let msg = encode(reply, extra);
                        let on_reply = on_reply.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            if let Ok((reply, extra)) = decode::<Reply>(&msg) {
                                on_reply(reply, extra);
                            }
                        });
                    },
                    None,
                    None,
                );
                ready.set(true);
                on_ready(Mode::InPage);
                Transport::InPage(engine)
            }
        };
        Client {
            transport: Rc::new(transport),
            ready,
            queue,
        }
    }

    /// Sends a request, with the `File` to read if any.
    pub fn send(&self, req: &Request, extra: Option<&JsValue>) {
        let msg = encode(req, extra);
        match &*self.transport {
            Transport::Worker(w) => {
                if self.ready.get() {
                    let _ = w.post_message(&msg);
                } else {
                    self.queue.borrow_mut().push(msg);
                }
            }
            Transport::InPage(engine) => {
                if let Ok((req, extra)) = decode::<Request>(&msg) {
                    engine.handle(req, extra);
                }
            }
        }
    }
}

/// Decodes, once at start-up, the kind of reply a load ends with, made
/// from a three-order file. The browser compiles wasm functions on their
/// first call: decoding the first real report paid for compiling the whole
/// decoder then (42 of a 62 ms main-thread task, measured). Now that cost
/// comes while the page is idle, and a load's reply decodes in a few ms.
fn warm_up() {
    use ltv_engine::ingest::{read_all, IngestOptions};
    use ltv_engine::report::{analyze, AnalyzeParams};
    let csv = "Name,Email,Created at,Total\n#1,a@example.com,2024-01-05,1000\n\
               #2,a@example.com,2024-03-05,2000\n#3,b@example.com,2024-02-01,500\n";
    let Ok(data) = read_all(csv.as_bytes(), IngestOptions::default()) else {
        return;
    };
    let reply = Reply::Loaded {
        run: 0,
        seq: 0,
        info: Box::new(data.info.clone()),
        report: analyze(&data, &AnalyzeParams::default()).map(Box::new),
        seconds: 0.0,
        phases: Default::default(),
    };
    let _ = decode::<Reply>(&encode(&reply, None));
}
