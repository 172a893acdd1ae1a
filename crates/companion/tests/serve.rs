//! `interleave serve` sends the cross-origin isolation headers on every
//! response and serves wasm as `application/wasm`, on loopback only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["serve", "--port", "0", "--dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the companion starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a first line");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .map(|w| w.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    assert!(addr.starts_with("127.0.0.1:"), "listens on loopback: {addr}");
    Server(child, addr)
}

/// One GET over a raw socket: (status line, lower-cased headers).
fn get(addr: &str, path: &str) -> (String, Vec<(String, String)>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn site() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("interleave-serve-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").expect("index");
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dir.join("app.js"), "export {}").expect("js");
    dir
}

#[test]
fn every_response_is_cross_origin_isolated() {
    let dir = site();
    let server = start(&dir);
    for (path, status, content_type) in [
        ("/", "200", Some("text/html")),
        ("/app_bg.wasm", "200", Some("application/wasm")),
        ("/app.js", "200", Some("text/javascript")),
        ("/missing.css", "404", None),
    ] {
        let (line, headers) = get(&server.1, path);
        assert!(line.contains(status), "{path}: {line}");
        assert_eq!(header(&headers, "cross-origin-opener-policy"), Some("same-origin"), "{path}");
        assert_eq!(header(&headers, "cross-origin-embedder-policy"), Some("require-corp"), "{path}");
        if let Some(ct) = content_type {
            let got = header(&headers, "content-type").unwrap_or_default();
            assert!(got.starts_with(ct), "{path}: content-type {got}");
        }
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn refuses_a_directory_without_a_page() {
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["serve", "--port", "0", "--dir", "/nonexistent-interleave-dir"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index.html"));
}

#[test]
fn rejects_a_bad_port() {
    let out = Command::new(env!("CARGO_BIN_EXE_interleave")).args(["serve", "--port", "http"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
}
