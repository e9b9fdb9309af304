//! The engine's Web Workers: reading a file of any size and computing
//! every analysis off the page's thread.
//!
//! `public/boot.js` starts them with the page: the engine
//! (`public/worker.js`, role `engine`, entry [`engine::worker_main`]), the
//! helper (the same script, role `helper`, entry [`helper::helper_main`]),
//! which reads the second half of a large file on another core, and the
//! file reader (`public/reader.js`), which reads slices ahead for both.
//! Every message is a [`crate::protocol`] type sent by [`codec`].
//!
//! The modules, each importing only those listed before it:
//! - leaves: [`codec`] (messages as `[json, extra]`), [`clock`] (time and
//!   memory), [`release`] (freeing spent slices), [`wake`] (a task waiting
//!   for a callback), [`bytes`] (where a load's bytes come from),
//!   [`js_bytes`] (a part's byte form in a JS buffer);
//! - [`reader`]: the engine's and the helper's handle on the file reader;
//! - [`peer`]: the engine's handle on the helper;
//! - [`engine`]: the engine worker (also run in the page where no worker
//!   could be started);
//! - [`helper`]: the helper worker.

pub mod bytes;
pub mod clock;
pub mod codec;
pub mod engine;
pub mod helper;
pub mod js_bytes;
pub mod peer;
pub mod reader;
pub mod release;
pub mod wake;
