//! Every message between the page and the workers, and between the
//! workers, is a two-element JS array `[json, extra]`: the JSON of a
//! [`crate::protocol`] type, and a JS value that JSON cannot carry (a
//! `File`, an `ArrayBuffer`) or `undefined`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Encodes a message as `[json, extra]`.
pub fn encode<T: Serialize>(msg: &T, extra: Option<&JsValue>) -> js_sys::Array {
    let json = serde_json::to_string(msg).unwrap_or_default();
    let arr = js_sys::Array::new();
    arr.push(&JsValue::from_str(&json));
    arr.push(extra.unwrap_or(&JsValue::UNDEFINED));
    arr
}

/// Decodes a message made by [`encode`] (or by `public/*.js` in the same
/// form).
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, JsValue), String> {
    let arr: &js_sys::Array = data.dyn_ref().ok_or("a message is not an array")?;
    let json = arr.get(0).as_string().ok_or("a message has no JSON")?;
    let msg = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    Ok((msg, arr.get(1)))
}
