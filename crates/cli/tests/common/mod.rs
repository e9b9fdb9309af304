//! What the CLI's binary tests share: the fixtures and a run of the binary.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_ltv-lens");

/// The path of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `ltv-lens ARGS…` to its end.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("runs the binary")
}
