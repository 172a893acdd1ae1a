//! Share links: the program, the scheduler, the seed and the schedule of a
//! run, deflated and base64url-encoded into the URL fragment. No server is
//! involved; opening the link replays the exact run.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub program: String,
    pub scheduler: String,
    pub seed: u64,
    pub schedule: String,
    /// The run's standard input (the Input box), one line per line; links
    /// made before the box existed have none.
    #[serde(default)]
    pub stdin: String,
}

pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    base64url(&miniz_oxide::deflate::compress_to_vec(&json, 9))
}

pub fn decode(text: &str) -> Option<Shared> {
    let bytes = unbase64url(text)?;
    // A link is small; refuse anything that inflates past 1 MiB.
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, 1 << 20).ok()?;
    serde_json::from_slice(&json).ok()
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_keeps_the_input_and_links_without_one_still_open() {
        let shared = Shared { program: "print(input())\n".into(), scheduler: "cpython".into(), seed: 7, schedule: "0x12".into(), stdin: "hi\n".into() };
        assert_eq!(decode(&encode(&shared)), Some(shared));
        // A link made before links carried the input.
        let old = r#"{"program":"print(1)\n","scheduler":"random","seed":3,"schedule":"0x4"}"#;
        let link = base64url(&miniz_oxide::deflate::compress_to_vec(old.as_bytes(), 9));
        let decoded = decode(&link).expect("an old link decodes");
        assert_eq!((decoded.seed, decoded.stdin.as_str()), (3, ""));
    }
}
