//! Checks the lesson files in `lessons/` (at the repository root) against
//! their format and against the corpus they point into.
//!
//! A lesson is `lessons/<chapter-slug>/<NN>-<id>.md`: a front-matter block
//! (`id`, `chapter`, `title`, `program`, `variants`, `scheduler`, `expect`)
//! between two `---` lines, then a Markdown body with an explanation and a
//! `## Try this` section of at least three bullet items. `program` and
//! `variants` are paths relative to `tests/corpus/`; `expect` must be the
//! directive kind on the program's first line (`# interleave: KIND ...`).
//!
//! Only std: this test must not depend on the engine's API.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// (folder slug, chapter name), in course order.
const CHAPTERS: &[(&str, &str)] = &[
    ("threads", "Threads"),
    ("mutex", "Mutual exclusion"),
    ("deadlock", "Deadlock"),
    ("coordination", "Coordination"),
    ("queues", "Queues"),
    ("pools", "Pools and futures"),
    ("processes", "Processes"),
    ("coroutines", "Coroutines"),
    ("io-models", "IO models"),
];
const KEYS: &[&str] = &["id", "chapter", "title", "program", "variants", "scheduler", "expect"];
const SCHEDULERS: &[&str] = &["cpython", "random", "round-robin", "manual"];
const KINDS: &[&str] = &["deterministic", "racy", "deadlock", "error"];
const MIN_WORDS: usize = 150;
const MAX_WORDS: usize = 400;

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

struct Lesson {
    path: String,
    folder: String,
    file_stem: String,
    meta: BTreeMap<String, String>,
    body: String,
}

/// Splits `---\nkey: value\n...\n---\nbody` into its keys and body.
fn parse(path: &str, folder: &str, file_stem: &str, text: &str, errors: &mut Vec<String>) -> Option<Lesson> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        errors.push(format!("{path}: must start with a `---` line"));
        return None;
    }
    let mut meta = BTreeMap::new();
    let mut consumed = first.len();
    let mut closed = false;
    for line in lines.by_ref() {
        consumed += line.len();
        let l = line.trim_end();
        if l == "---" {
            closed = true;
            break;
        }
        if l.is_empty() {
            continue;
        }
        let Some((k, v)) = l.split_once(':') else {
            errors.push(format!("{path}: front-matter line without `key: value`: {l:?}"));
            continue;
        };
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if meta.insert(k.clone(), v).is_some() {
            errors.push(format!("{path}: key `{k}` appears twice"));
        }
    }
    if !closed {
        errors.push(format!("{path}: front matter is not closed by a `---` line"));
        return None;
    }
    let body = text.get(consumed..).unwrap_or("").to_string();
    Some(Lesson { path: path.into(), folder: folder.into(), file_stem: file_stem.into(), meta, body })
}

/// `# interleave: racy seeds=100` -> `racy`.
fn directive_kind(program: &Path) -> Option<String> {
    let text = fs::read_to_string(program).ok()?;
    let first = text.lines().next()?;
    let rest = first.trim().strip_prefix('#')?.trim().strip_prefix("interleave:")?;
    rest.split_whitespace().next().map(str::to_string)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A corpus path: relative, `area/name.py`, no `..`.
fn check_corpus_path(path: &str, what: &str, p: &str, errors: &mut Vec<String>) -> Option<PathBuf> {
    if p.is_empty() || p.starts_with('/') || p.contains('\\') || p.split('/').any(|c| c == ".." || c == "." || c.is_empty()) || !p.ends_with(".py") {
        errors.push(format!("{path}: {what} `{p}` must be a relative `area/name.py` path in the corpus"));
        return None;
    }
    let full = corpus_dir().join(p);
    if !full.is_file() {
        errors.push(format!("{path}: {what} `{p}` does not exist in tests/corpus/"));
        return None;
    }
    Some(full)
}

/// The lines of the `## Try this` section (up to the next `## ` heading).
fn try_section(body: &str) -> Option<Vec<&str>> {
    let mut lines = body.lines();
    lines.by_ref().find(|l| l.trim_end() == "## Try this")?;
    Some(lines.take_while(|l| !l.starts_with("## ")).collect())
}

/// Words of the explanation: the body before `## Try this`.
fn explanation_words(body: &str) -> usize {
    let end = body.find("\n## Try this").unwrap_or(body.len());
    body[..end].split_whitespace().count()
}

/// Plain Markdown only: no HTML tags, images or links outside code, and no
/// `#` headings (the title comes from the front matter).
fn check_plain_markdown(path: &str, body: &str, errors: &mut Vec<String>) {
    let mut in_fence = false;
    for (i, line) in body.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if line.starts_with("# ") {
            errors.push(format!("{path}: body line {} is a `#` heading; use `##` (the title comes from the front matter)", i + 1));
        }
        // Drop `inline code` spans.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let bytes = prose.as_bytes();
        let tag = bytes.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
        if tag || prose.contains("](") || prose.contains("![") || prose.contains("http://") || prose.contains("https://") {
            errors.push(format!("{path}: body line {} has HTML, an image or a link: {line:?}", i + 1));
        }
    }
    if in_fence {
        errors.push(format!("{path}: a fenced code block is not closed"));
    }
}

fn load() -> (Vec<Lesson>, Vec<String>) {
    let mut errors = Vec::new();
    let mut lessons = Vec::new();
    let dir = lessons_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    let mut folders: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if !folder.is_dir() {
            if name.ends_with(".md") {
                errors.push(format!("lessons/{name}: lessons belong in a chapter folder"));
            }
            continue;
        }
        if !CHAPTERS.iter().any(|(slug, _)| *slug == name) {
            errors.push(format!("lessons/{name}/: unknown chapter folder"));
            continue;
        }
        let mut files: Vec<PathBuf> = fs::read_dir(&folder).expect("chapter folder").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let fname = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let Some(stem) = fname.strip_suffix(".md") else { continue };
            let rel = format!("lessons/{name}/{fname}");
            let text = match fs::read(&file).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => {
                    errors.push(format!("{rel}: not UTF-8"));
                    continue;
                }
                Err(e) => {
                    errors.push(format!("{rel}: {e}"));
                    continue;
                }
            };
            if let Some(l) = parse(&rel, &name, stem, &text, &mut errors) {
                lessons.push(l);
            }
        }
    }
    (lessons, errors)
}

#[test]
fn lessons_are_well_formed() {
    let (lessons, mut errors) = load();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut numbers: BTreeSet<(String, String)> = BTreeSet::new();
    let mut per_chapter: BTreeMap<&str, usize> = CHAPTERS.iter().map(|(slug, _)| (*slug, 0)).collect();

    for l in &lessons {
        let path = l.path.as_str();
        for key in KEYS {
            match l.meta.get(*key) {
                None => errors.push(format!("{path}: front matter lacks `{key}`")),
                Some(v) if v.is_empty() && *key != "variants" => errors.push(format!("{path}: `{key}` is empty")),
                _ => {}
            }
        }
        for key in l.meta.keys() {
            if !KEYS.contains(&key.as_str()) {
                errors.push(format!("{path}: unknown front-matter key `{key}`"));
            }
        }
        let get = |k: &str| l.meta.get(k).map(String::as_str).unwrap_or("");

        // id and file name: <NN>-<id>.md
        let id = get("id");
        if !is_slug(id) {
            errors.push(format!("{path}: id `{id}` must be lowercase letters, digits and dashes"));
        }
        if let Some(prev) = ids.insert(id.to_string(), path.to_string()) {
            errors.push(format!("{path}: id `{id}` is already used by {prev}"));
        }
        match l.file_stem.split_once('-') {
            Some((nn, rest)) if nn.len() == 2 && nn.bytes().all(|b| b.is_ascii_digit()) => {
                if rest != id {
                    errors.push(format!("{path}: file name must be `{nn}-{id}.md`"));
                }
                if !numbers.insert((l.folder.clone(), nn.to_string())) {
                    errors.push(format!("{path}: number {nn} is used twice in chapter `{}`", l.folder));
                }
            }
            _ => errors.push(format!("{path}: file name must be `<NN>-<id>.md` with two digits")),
        }

        // chapter matches the folder
        let chapter = get("chapter");
        match CHAPTERS.iter().find(|(_, n)| *n == chapter) {
            Some((slug, _)) if *slug == l.folder => *per_chapter.get_mut(slug).unwrap() += 1,
            Some((slug, _)) => errors.push(format!("{path}: chapter `{chapter}` belongs in lessons/{slug}/")),
            None => errors.push(format!("{path}: unknown chapter `{chapter}`")),
        }

        let title = get("title");
        if title.starts_with('"') || title.starts_with('\'') || title.contains(": ") || title.contains('#') {
            errors.push(format!("{path}: keep the title plain (no quotes, `: ` or `#`): {title:?}"));
        }

        let scheduler = get("scheduler");
        if !SCHEDULERS.contains(&scheduler) {
            errors.push(format!("{path}: scheduler `{scheduler}` is not one of {SCHEDULERS:?}"));
        }
        let expect = get("expect");
        if !KINDS.contains(&expect) {
            errors.push(format!("{path}: expect `{expect}` is not one of {KINDS:?}"));
        }

        // program and variants exist; expect matches the program's directive
        let program = get("program");
        if let Some(full) = check_corpus_path(path, "program", program, &mut errors) {
            match directive_kind(&full) {
                Some(kind) if kind == expect => {}
                Some(kind) => errors.push(format!("{path}: expect is `{expect}` but {program} says `{kind}`")),
                None => errors.push(format!("{path}: {program} has no `# interleave: KIND` first line")),
            }
        }
        let variants: Vec<&str> = get("variants").split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
        let mut seen = BTreeSet::from([program]);
        for v in variants {
            if !seen.insert(v) {
                errors.push(format!("{path}: `{v}` is listed twice"));
            }
            if let Some(full) = check_corpus_path(path, "variant", v, &mut errors) {
                match directive_kind(&full) {
                    Some(kind) if KINDS.contains(&kind.as_str()) => {}
                    _ => errors.push(format!("{path}: variant {v} has no valid `# interleave: KIND` first line")),
                }
            }
        }

        // body: explanation, then `## Try this` with at least three bullets
        let words = explanation_words(&l.body);
        if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
            errors.push(format!("{path}: the explanation has {words} words (want {MIN_WORDS} to {MAX_WORDS})"));
        }
        match try_section(&l.body) {
            None => errors.push(format!("{path}: no `## Try this` section")),
            Some(lines) => {
                let items = lines.iter().filter(|l| l.starts_with("- ") || l.starts_with("* ")).count();
                if items < 3 {
                    errors.push(format!("{path}: `## Try this` has {items} bullet items (want at least 3)"));
                }
            }
        }
        check_plain_markdown(path, &l.body, &mut errors);
    }

    for (slug, n) in &per_chapter {
        if *n == 0 {
            errors.push(format!("chapter `{slug}` has no lessons"));
        }
    }

    assert!(errors.is_empty(), "{} problem(s) in the lessons:\n  {}", errors.len(), errors.join("\n  "));
}
