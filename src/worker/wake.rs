//! The one waiting primitive of the workers: a task awaits [`Wake::wait`]
//! until a callback (a message, a newer request) calls [`Wake::wake`]; the
//! task then looks again at what changed.

use std::cell::RefCell;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Wakes the one task waiting on it (a wake with no task waiting is lost:
/// a task checks its condition before it waits).
#[derive(Default)]
pub struct Wake {
    waiter: RefCell<Option<js_sys::Function>>,
}

impl Wake {
    /// Wakes the waiting task, if any.
    pub fn wake(&self) {
        let waiter = self.waiter.borrow_mut().take();
        if let Some(resolve) = waiter {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    /// Waits for the next [`Wake::wake`].
    pub async fn wait(&self) {
        self.wait_at_most(None).await;
    }

    /// Waits for the next [`Wake::wake`], or `ms` milliseconds if given.
    pub async fn wait_at_most(&self, ms: Option<u32>) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            *self.waiter.borrow_mut() = Some(resolve);
        });
        let resolve = self.waiter.borrow().clone();
        // Dropped (so cancelled) once the wait ends.
        let _timeout = ms.zip(resolve).map(|(ms, resolve)| {
            gloo_timers::callback::Timeout::new(ms, move || {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            })
        });
        let _ = JsFuture::from(promise).await;
    }
}
