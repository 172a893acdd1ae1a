//! The build, serve, test and bench steps.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::setup;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (this crate lives in `crates/xtask`).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).map(PathBuf::from).unwrap_or(here)
}

/// The cargo that runs us (the project's nightly), in the workspace root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs `cmd` with inherited output, after printing it; fails on non-zero exit.
pub fn run(cmd: &mut Command) -> Result {
    println!("$ {}", describe(cmd));
    let status = cmd.status().map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// PATH with the project's node tools (wasm-opt) and cargo's bin directory
/// (trunk, wasm-bindgen) first, so Trunk finds the exact versions.
fn tool_path() -> OsString {
    let mut dirs = vec![root().join("www/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME").or_else(|| std::env::var_os("HOME").map(|h| {
        let mut p = PathBuf::from(h);
        p.push(".cargo");
        p.into_os_string()
    })) {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Environment of every wasm build: std is rebuilt with atomics (build-std is
/// scoped to these builds so native ones keep the prebuilt std).
fn wasm_env(cmd: &mut Command) -> &mut Command {
    cmd.env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std").env("PATH", tool_path())
}

/// The page, in release mode, into dist/.
pub fn build_page() -> Result {
    let started = Instant::now();
    println!("\n==> building the page in release mode (about 2 minutes cold, seconds warm)");
    // The editor bundle (CodeMirror from npm) is an input of Trunk's build.
    run(Command::new("node").arg(root().join("www/editor/build.mjs")).current_dir(root().join("www")))?;
    // Trunk runs cargo with --offline (Trunk.toml), so build once online
    // first: that fetches std's own dependencies for build-std, and leaves
    // nothing for Trunk's cargo to do but check it is up to date.
    run(wasm_env(&mut cargo()).args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--manifest-path",
        "crates/web/Cargo.toml",
        "--bin",
        "interleave-web",
    ]))?;
    let mut trunk = Command::new("trunk");
    trunk.current_dir(root()).args(["build", "--release"]);
    run(wasm_env(&mut trunk))?;
    check_shared_memory()?;
    println!("page built in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Threads need the module to import a *shared* memory. A nightly that
/// silently stops producing one would break every real-threads lesson, so
/// the build checks it (the wasm import section is small and easy to read).
fn check_shared_memory() -> Result {
    let dist = root().join("dist");
    let wasm = std::fs::read_dir(&dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "wasm"))
        .ok_or("dist/ has no .wasm file")?;
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    if crate::wasm::imports_shared_memory(&bytes) {
        Ok(())
    } else {
        Err(format!("{} does not import a shared memory: threads cannot work (see shared/TOOLCHAIN.md)", wasm.display()))
    }
}

/// A companion serving dist/ on a free port, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start() -> Result<Server> {
        run(cargo().args(["build", "--quiet", "-p", "interleave-companion"]))?;
        let binary = root().join("target/debug/interleave");
        let mut child = Command::new(&binary)
            .args(["serve", "--port", "0", "--dir"])
            .arg(root().join("dist"))
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).map(str::to_string);
        match url {
            Some(url) => {
                println!("serving dist/ at {url}");
                Ok(Server { child, url })
            }
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the companion did not start serving (it said: {line:?})"))
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(args: &[String]) -> Result {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).ok_or("--port needs a number")?.clone(),
        None => "8080".into(),
    };
    port.parse::<u16>().map_err(|_| format!("--port takes a number from 0 to 65535, not '{port}'"))?;
    setup::all()?;
    build_page()?;
    run(cargo().args(["build", "-p", "interleave-companion"]))?;
    println!("\n==> serving the playground (Ctrl+C stops it)");
    run(Command::new(root().join("target/debug/interleave")).args(["serve", "--port", &port, "--dir"]).arg(root().join("dist")))
}

pub fn test_all() -> Result {
    let started = Instant::now();
    setup::all()?;

    println!("\n==> native tests: engine, parser, explorer, companion, real threads, xtask, the page's plain-Rust modules");
    run(cargo().args(["test", "--workspace"]))?;

    println!("\n==> the engine and the explorer build for wasm32 (they must stay platform independent)");
    run(wasm_env(&mut cargo()).args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "interleave-syntax",
        "-p",
        "interleave-engine",
        "-p",
        "interleave-explorer",
    ]))?;

    build_page()?;

    println!("\n==> browser tests in headless Chromium (www/tests)");
    let server = Server::start()?;
    let artifacts = root().join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let result = run(Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(root().join("www/tests"))
        .current_dir(root().join("www"))
        .env("BASE_URL", &server.url)
        .env("ARTIFACTS_DIR", &artifacts)
        .env("DIST_DIR", root().join("dist")));
    drop(server);
    result?;
    println!("\nall tests passed in {:.0} s; screenshots in {}", started.elapsed().as_secs_f64(), artifacts.display());
    Ok(())
}

pub fn bench(args: &[String]) -> Result {
    let quick = args.iter().any(|a| a == "--quick");
    setup::all()?;
    let increments = if quick { "1000000" } else { "5000000" };

    println!("\n==> real threads, natively (release build)");
    run(cargo().args(["build", "--release", "--quiet", "-p", "interleave-companion"]))?;
    run(Command::new(root().join("target/release/interleave")).args(["bench-realthreads", "--increments", increments]))?;

    println!("\n==> the engine against CPython on the same programs (crates/engine/bench-programs)");
    crate::bench_engine::run(quick)?;

    println!("\n==> real threads, in headless Chromium on the page's Web Workers");
    build_page()?;
    let server = Server::start()?;
    let result = run(Command::new("node")
        .arg(root().join("www/bench/realthreads.mjs"))
        .current_dir(root().join("www"))
        .env("BASE_URL", &server.url)
        .env("INCREMENTS", increments))
    .and_then(|_| {
        println!("\n==> the playground page: load time, sizes, frame rate, engine speed in the worker");
        run(Command::new("node")
            .arg(root().join("www/bench/page.mjs"))
            .current_dir(root().join("www"))
            .env("BASE_URL", &server.url)
            .env("DIST_DIR", root().join("dist"))
            .env("NATIVE_RUNNER", root().join("target/release/interleave")))
    });
    drop(server);
    result?;

    println!("\n==> the explorer against loom and Spin (crates/explorer/examples/bench_reference.rs)");
    crate::bench_explorer::run_step(quick)
}
