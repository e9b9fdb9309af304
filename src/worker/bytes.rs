//! Where a load's bytes come from: a `File` (read here, slice by slice),
//! or bytes in memory (the sample shop).

use super::release::copy_into;
use crate::error::AppError;
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;

/// Where a load's bytes come from.
#[derive(Clone)]
pub enum Bytes {
    File(web_sys::Blob),
    Memory(Rc<Vec<u8>>),
}

impl Bytes {
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u64 {
        match self {
            Bytes::File(b) => b.size() as u64,
            Bytes::Memory(v) => v.len() as u64,
        }
    }

    /// Reads up to `len` bytes at `offset` into `buf` (replacing its
    /// bytes), in this thread.
    pub async fn read(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> Result<(), AppError> {
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
                    .map_err(|e| unreadable(&format!("{e:?}")))?;
                let ab = JsFuture::from(slice.array_buffer())
                    .await
                    .map_err(|e| unreadable(&format!("{e:?}")))?;
                copy_into(&ab, buf);
                Ok(())
            }
        }
    }
}

/// A file that could not be read (the browser's reason).
pub fn unreadable(reason: &str) -> AppError {
    AppError::FileRead {
        reason: reason.into(),
    }
}
