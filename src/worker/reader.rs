//! The file reader worker (`public/reader.js`) seen from an engine worker,
//! and where a load's slices come from ([`Chunks`]).

use super::bytes::{unreadable, Bytes};
use super::codec::{decode, encode};
use super::release::copy_into;
use super::wake::Wake;
use crate::error::AppError;
use crate::protocol::{FromReader, ToReader};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Bytes read and parsed per step. Large enough that the per-slice cost
/// (a promise, a copy into wasm memory) is noise; small enough for a
/// progress update several times a second. 8 MiB was no faster on the
/// 1M-line-item file and held 16 to 18 MB more in each engine worker.
pub const CHUNK: usize = 4 << 20;

/// Slices the reader keeps ready ahead of the parser.
const READ_AHEAD: u32 = 4;

/// The file reader worker (`public/reader.js`), reached through a
/// `MessagePort`: it reads slices of a `File` on its own thread, a few
/// ahead of the parser, and transfers them here. Reading a slice in this
/// thread would cost the parser its time (a Blob read is served on the
/// thread that asked: 0.5 s of 2.7 s for 271 MB).
pub struct Reader {
    port: web_sys::MessagePort,
    /// Slices received, not yet parsed: the message and its `ArrayBuffer`.
    queue: RefCell<VecDeque<(FromReader, JsValue)>>,
    arrived: Wake,
    /// The load whose slices the reader sends now.
    current: Cell<u64>,
}

impl Reader {
    pub fn new(port: web_sys::MessagePort) -> Rc<Reader> {
        let reader = Rc::new(Reader {
            port,
            queue: RefCell::new(VecDeque::new()),
            arrived: Wake::default(),
            current: Cell::new(0),
        });
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
            let reader = Rc::downgrade(&reader);
            move |ev: web_sys::MessageEvent| {
                let Some(r) = reader.upgrade() else { return };
                match decode::<FromReader>(&ev.data()) {
                    Ok(msg) => r.queue.borrow_mut().push_back(msg),
                    Err(e) => web_sys::console::error_1(&format!("ltv-lens reader: {e}").into()),
                }
                r.arrived.wake();
            }
        });
        reader
            .port
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget(); // lives as long as the page
        reader
    }

    fn send(&self, msg: &ToReader, extra: Option<&JsValue>) {
        let _ = self.port.post_message(&encode(msg, extra));
    }

    /// Starts reading bytes `start..end` of `file` for load `run`. A load
    /// still waiting for a slice is woken and finds it has been superseded.
    fn start(&self, run: u64, file: &web_sys::Blob, start: u64, end: u64) {
        self.current.set(run);
        self.queue.borrow_mut().clear();
        self.arrived.wake();
        let msg = ToReader::Read {
            id: run,
            start,
            end,
            chunk: CHUNK as u64,
            ahead: READ_AHEAD,
        };
        self.send(&msg, Some(file));
    }

    /// Stops load `run`, unless a newer load has started.
    fn stop(&self, run: u64) {
        if self.current.get() == run {
            self.send(&ToReader::Stop, None);
        }
    }

    /// The next slice of load `run` into `buf` (empty at the end of file);
    /// `Ok(false)` once a newer load has taken the reader.
    async fn next(&self, run: u64, buf: &mut Vec<u8>) -> Result<bool, AppError> {
        loop {
            if self.current.get() != run {
                return Ok(false);
            }
            let msg = self.queue.borrow_mut().pop_front();
            let Some((msg, data)) = msg else {
                self.arrived.wait().await;
                continue;
            };
            match msg {
                FromReader::Slice { id, .. } | FromReader::Error { id, .. } if id != run => {
                    continue; // a slice of an older load
                }
                FromReader::Error { error, .. } => return Err(unreadable(&error)),
                FromReader::Slice { .. } if data.is_undefined() => buf.clear(), // end of file
                FromReader::Slice { .. } => {
                    copy_into(&data, buf);
                    // One slice consumed: one more may be read ahead.
                    self.send(&ToReader::Ack { id: run }, None);
                }
            }
            return Ok(true);
        }
    }
}

/// Where a load's slices come from.
pub enum Chunks {
    /// Read here, slice by slice, up to `end`.
    Here { bytes: Bytes, offset: u64, end: u64 },
    /// Read ahead by the reader worker.
    Reader { reader: Rc<Reader>, run: u64 },
}

impl Chunks {
    /// Bytes `start..end` of `file`, read ahead by the reader worker.
    pub fn reader(
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
    pub fn here(bytes: Bytes, start: u64, end: u64) -> Chunks {
        Chunks::Here {
            bytes,
            offset: start,
            end,
        }
    }

    /// The next slice into `buf`; `Ok(false)` if this load was superseded.
    pub async fn next(&mut self, buf: &mut Vec<u8>) -> Result<bool, AppError> {
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
