//! Time and memory, in a page and in a worker.

use wasm_bindgen::JsCast;

/// Milliseconds on a clock that works in a page and in a worker
/// (`performance.now()`, else `Date.now()`).
pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// This instance's wasm memory in MB (it only grows: its peak).
pub fn memory_mb() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| b.byte_length() as f64 / 1e6)
}
