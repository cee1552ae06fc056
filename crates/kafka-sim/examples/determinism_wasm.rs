//! The determinism workload (tests/support/determinism.rs) as a WebAssembly module for the
//! browser: the browser test opens a page that calls `state_hashes` and compares what it shows
//! with the same workload run natively. Built by scripts/test like the page (release profile).

#[path = "../tests/support/determinism.rs"]
mod determinism;

use wasm_bindgen::prelude::wasm_bindgen;

/// One line per run: what ran, a tab, the state hash it reached.
#[wasm_bindgen]
pub fn state_hashes() -> String {
    determinism::state_hashes()
        .into_iter()
        .map(|(name, hash)| format!("{name}\t{hash}"))
        .collect::<Vec<_>>()
        .join("\n")
}
