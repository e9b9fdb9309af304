//! The helper worker: a second engine worker (`public/worker.js` with the
//! role `helper`, started by `public/boot.js` with the engine) that reads
//! the second half of a large file as an [`ltv_engine::ingest::Part`] on
//! another core and hands it to the engine (see [`super::peer`], the
//! engine's side).

use super::bytes::Bytes;
use super::clock::{memory_mb, now_ms};
use super::codec::{decode, encode};
use super::js_bytes::JsBytes;
use super::reader::{Chunks, Reader};
use crate::protocol::PeerMsg;
use ltv_engine::ingest::{Ingest, IngestOptions, SNIFF_BYTES};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
        let buffer = out.buffer();
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
