//! The lesson catalog: chapters and their lessons, as plain data.
//!
//! Python lessons come from `lessons/<chapter>/NN-<id>.md` (embedded by
//! build.rs with the corpus programs they name); the real-threads lesson is
//! Rust. The sidebar, the URL routes (`#/lesson/<id>`) and the browser tests
//! all read this one list.

pub mod python;
pub mod real_threads;

use std::sync::OnceLock;

/// A lesson file and its programs, as build.rs embedded them.
pub struct EmbeddedLesson {
    pub text: &'static str,
    pub programs: &'static [(&'static str, &'static str)],
    /// (corpus path, text) of the programs that come with standard input.
    pub stdin: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/python_lessons.rs"));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Python program on the engine.
    Python,
    /// Rust on real Web Workers.
    RealThreads,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Stable identifier used in URLs and tests.
    pub id: &'static str,
    pub chapter: &'static str,
    pub title: &'static str,
    /// One line for the catalog.
    pub summary: String,
    pub kind: Kind,
    /// Python lessons: the scheduler the page starts with.
    pub scheduler: &'static str,
    /// Python lessons: how the program ends (deterministic, racy, deadlock, error).
    pub expect: &'static str,
    /// Python lessons: the Markdown body.
    pub body: &'static str,
    /// Python lessons: (corpus path, source), the main program first.
    pub programs: Vec<(&'static str, &'static str)>,
    /// Python lessons: (corpus path, text) of the programs' standard
    /// input, for those that read it (the corpus's `.stdin` files).
    pub stdin: Vec<(&'static str, &'static str)>,
}

impl Lesson {
    /// The standard input the lesson gives its `i`-th program ("" if none).
    pub fn stdin_of(&self, i: usize) -> &'static str {
        let Some((path, _)) = self.programs.get(i) else { return "" };
        self.stdin.iter().find(|(p, _)| p == path).map(|(_, text)| *text).unwrap_or("")
    }
}

/// Chapters in teaching order.
const CHAPTERS: &[&str] = &["Threads", "Mutual exclusion", "Deadlock", "Coordination", "Queues", "Pools and futures", "Processes", "Coroutines", "IO models", "Real threads"];

pub fn all() -> &'static [Lesson] {
    static ALL: OnceLock<Vec<Lesson>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut lessons: Vec<Lesson> = PYTHON_LESSONS.iter().filter_map(parse).collect();
        lessons.push(Lesson {
            id: "real-threads-lost-updates",
            chapter: "Real threads",
            title: "Lost updates on real threads",
            summary: "Workers of your own CPU race on one counter: watch updates vanish, then fix it two ways.".into(),
            kind: Kind::RealThreads,
            scheduler: "",
            expect: "",
            body: "",
            programs: Vec::new(),
            stdin: Vec::new(),
        });
        // Stable: files are already in NN order within a chapter.
        lessons.sort_by_key(|l| CHAPTERS.iter().position(|c| *c == l.chapter).unwrap_or(CHAPTERS.len()));
        lessons
    })
}

pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

/// Chapters in catalog order, each with its lessons.
pub fn chapters() -> Vec<(&'static str, Vec<&'static Lesson>)> {
    let mut out: Vec<(&'static str, Vec<&'static Lesson>)> = Vec::new();
    for lesson in all() {
        match out.iter_mut().find(|(c, _)| *c == lesson.chapter) {
            Some((_, list)) => list.push(lesson),
            None => out.push((lesson.chapter, vec![lesson])),
        }
    }
    out
}

/// Reads a lesson file's front matter (`key: value` lines between `---`).
fn parse(embedded: &EmbeddedLesson) -> Option<Lesson> {
    let text = embedded.text.strip_prefix("---\n")?;
    let end = text.find("\n---\n")?;
    let (front, body) = (&text[..end], &text[end + 5..]);
    let field = |key: &str| {
        front.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')).map(str::trim))
    };
    // The catalog summary: the first sentence of the explanation's first
    // paragraph, without Markdown.
    let first = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("```"))
        .unwrap_or_default()
        .replace(['`', '*'], "");
    let summary = match first.find(". ") {
        Some(i) if i < 150 => first[..=i].to_string(),
        _ if first.chars().count() > 110 => format!("{}…", first.chars().take(110).collect::<String>().trim_end()),
        _ => first,
    };
    Some(Lesson {
        id: field("id")?,
        chapter: field("chapter")?,
        title: field("title")?,
        summary,
        kind: Kind::Python,
        scheduler: field("scheduler").unwrap_or("cpython"),
        expect: field("expect").unwrap_or("deterministic"),
        body,
        programs: embedded.programs.to_vec(),
        stdin: embedded.stdin.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lesson whose chapter is missing from `CHAPTERS` would be sorted
    /// after "Real threads" without a word.
    #[test]
    fn every_chapter_is_in_the_teaching_order() {
        for lesson in all() {
            assert!(CHAPTERS.contains(&lesson.chapter), "lesson {} has chapter {:?}, which CHAPTERS does not list", lesson.id, lesson.chapter);
        }
        let names: Vec<&str> = chapters().iter().map(|(c, _)| *c).collect();
        assert_eq!(names, CHAPTERS, "every chapter has lessons, in teaching order");
    }
}
