//! Installing what the build and the tests need, each step only when it is
//! missing, in the order the build needs them. Every install says what it
//! installs and roughly how long it takes before it starts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::steps::{cargo, root, run, Result};

/// The Trunk release the page is built and tested with.
pub const TRUNK_VERSION: &str = "0.22.1";

pub fn all() -> Result {
    rust_target()?;
    node_packages()?;
    chromium()?;
    trunk()?;
    wasm_bindgen_cli()?;
    Ok(())
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn say(what: &str) {
    println!("\n==> {what}");
}

/// The wasm32 target and rust-src (for build-std) on the project's nightly.
fn rust_target() -> Result {
    let in_root = |args: &[&str]| output(Command::new("rustup").args(args).current_dir(root()));
    let targets = in_root(&["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        say("installing the rustup target wasm32-unknown-unknown for the project's nightly (under a minute)");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).current_dir(root()))?;
    }
    let components = in_root(&["component", "list", "--installed"]).unwrap_or_default();
    if !components.lines().any(|l| l.trim().starts_with("rust-src")) {
        say("installing the rustup component rust-src (needed to rebuild std with atomics; under a minute)");
        run(Command::new("rustup").args(["component", "add", "rust-src"]).current_dir(root()))?;
    }
    Ok(())
}

/// playwright-core and binaryen's wasm-opt, exactly as package-lock.json says.
fn node_packages() -> Result {
    let www = root().join("www");
    for tool in ["node", "npm"] {
        if output(Command::new(tool).arg("--version")).is_none() {
            say(&format!("installing {tool} from Debian's packages"));
            apt_install(&["nodejs", "npm"])?;
            break;
        }
    }
    let lock = std::fs::read(www.join("package-lock.json")).map_err(|e| format!("www/package-lock.json: {e}"))?;
    let stamp_path = www.join("node_modules").join(".interleave-lock-hash");
    let want = format!("{:016x}", fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    say("installing the node packages of www/package-lock.json with npm ci (seconds)");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&www))?;
    std::fs::write(&stamp_path, want).map_err(|e| format!("{}: {e}", stamp_path.display()))?;
    Ok(())
}

/// Debian's Chromium and its driver, for the browser tests.
fn chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    say("installing Debian's chromium and chromium-driver with apt-get (about a minute)");
    apt_install(&["chromium", "chromium-driver"])
}

pub fn apt_install(packages: &[&str]) -> Result {
    let sudo = output(Command::new("id").arg("-u")).map(|u| u.trim() != "0").unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut cmd = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run(&mut apt(&["update"]))?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    // dpkg sometimes reports "failed to read archive" on the first try here;
    // a second attempt succeeds.
    run(&mut apt(&install)).or_else(|_| {
        println!("apt-get failed once; trying again");
        run(&mut apt(&install))
    })
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(name)
}

/// Trunk, which builds the page. Compiling it takes long the first time.
fn trunk() -> Result {
    let version = output(&mut Command::new(cargo_bin("trunk")).arg("--version")).unwrap_or_default();
    if version.trim() == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    say(&format!(
        "installing trunk {TRUNK_VERSION} with cargo install (it compiles for about 20 minutes and \
         needs about 3 GB of memory the first time; later runs skip this)"
    ));
    run(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in
/// Cargo.lock (Trunk refuses any other, and would try to download one).
fn wasm_bindgen_cli() -> Result {
    let want = locked_version("wasm-bindgen")?;
    let have = output(&mut Command::new(cargo_bin("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    say(&format!("installing wasm-bindgen-cli {want} with cargo install (about 4 minutes)"));
    // Not --locked: its lockfile pins a webpki-roots release the registry lacks.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]))
}

/// The version of `package` recorded in the workspace's Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\n");
    let at = lock.find(&needle).ok_or_else(|| format!("Cargo.lock has no package {package}"))?;
    lock[at + needle.len()..]
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .map(str::to_string)
        .ok_or_else(|| format!("Cargo.lock: no version line after {package}"))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_locked_wasm_bindgen_version() {
        let v = super::locked_version("wasm-bindgen").expect("Cargo.lock names wasm-bindgen");
        assert!(v.starts_with("0.2."), "{v}");
    }
}
