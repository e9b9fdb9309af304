//! Spent slices of a file, copied into wasm memory and freed at once.

use wasm_bindgen::JsValue;

/// Copies an `ArrayBuffer` into `buf`, replacing its bytes, and frees the
/// buffer's memory at once (see [`release`]).
pub fn copy_into(ab: &JsValue, buf: &mut Vec<u8>) {
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
pub fn release(ab: &JsValue) {
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
