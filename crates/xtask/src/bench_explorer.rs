//! The explorer against its reference tools: loom (executions per second)
//! and Spin (states per second, time to the first deadlock), printed side
//! by side by `crates/explorer/examples/bench_reference.rs`, which explains
//! what each figure means. loom comes from crates.io through the standalone
//! crate `bench/loom`; Spin from Debian, installed here when missing (it
//! compiles its models with gcc, so gcc comes along if missing too).
//!
//! This step belongs to `cargo xtask bench` only: the reference tools are
//! slow to build and run, and their figures are never asserted, so
//! `cargo xtask test` never starts them.

use std::process::Command;

use crate::setup::apt_install;
use crate::steps::{cargo, run, Result};

fn installed(tool: &str, version_flag: &str) -> bool {
    Command::new(tool).arg(version_flag).output().map(|o| o.status.success()).unwrap_or(false)
}

pub fn run_step(quick: bool) -> Result {
    let mut missing = Vec::new();
    if !installed("spin", "-V") {
        missing.push("spin");
    }
    if !installed("gcc", "--version") {
        missing.push("gcc");
    }
    if !missing.is_empty() {
        println!("installing {} from Debian's packages with apt-get (under a minute)", missing.join(" and "));
        apt_install(&missing)?;
    }
    // `--quick`: philosophers N = 3..4, small executions caps (about two
    // minutes); the full run goes to N = 6 for our explorer and as far as
    // Spin stays within seconds (about ten minutes).
    let mut cmd = cargo();
    cmd.args(["run", "--release", "--quiet", "-p", "interleave-explorer", "--example", "bench_reference"]);
    if quick {
        cmd.args(["--", "--quick"]);
    }
    run(&mut cmd)
}
