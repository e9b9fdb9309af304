//! A part's byte form in a JS `Uint8Array` (the helper writes it there,
//! the engine reads it from there), so the bytes are never twice in a
//! worker's wasm memory.

use super::release::release;
use ltv_engine::ingest::{Part, PartSink, PartSource};
use wasm_bindgen::JsValue;

/// A part's byte form in a JS `Uint8Array`, written and read piece by
/// piece (see [`PartSink`], [`PartSource`]).
pub struct JsBytes {
    array: js_sys::Uint8Array,
    pos: u32,
}

impl JsBytes {
    /// An empty buffer of `len` bytes to write a part into.
    pub fn with_length(len: usize) -> JsBytes {
        JsBytes {
            array: js_sys::Uint8Array::new_with_length(len as u32),
            pos: 0,
        }
    }

    /// The bytes of an `ArrayBuffer` (none for anything else).
    pub fn new(buffer: &JsValue) -> JsBytes {
        JsBytes {
            array: if buffer.is_object() {
                js_sys::Uint8Array::new(buffer)
            } else {
                js_sys::Uint8Array::new_with_length(0)
            },
            pos: 0,
        }
    }

    /// The `ArrayBuffer` the bytes are in.
    pub fn buffer(&self) -> js_sys::ArrayBuffer {
        self.array.buffer()
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

/// A CSV file's bytes as a `Blob` of its encoding's MIME type (for a
/// download made in the page).
pub fn csv_blob(
    bytes: &[u8],
    encoding: ltv_engine::export::ExportEncoding,
) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(encoding.mime_type());
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()
}
