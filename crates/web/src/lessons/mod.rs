//! The lesson catalog: chapters and their lessons, as plain data.
//!
//! The page's sidebar, its URL routes (`#/lesson/<id>`) and the browser tests
//! all read this one list.

pub mod real_threads;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Stable identifier used in URLs and tests.
    pub id: &'static str,
    pub chapter: &'static str,
    pub title: &'static str,
    /// One line for the catalog.
    pub summary: &'static str,
}

pub const LESSONS: &[Lesson] = &[Lesson {
    id: "real-threads-lost-updates",
    chapter: "Real threads",
    title: "Lost updates on real threads",
    summary: "Workers of your own CPU race on one counter: watch updates vanish, then fix it two ways.",
}];

pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// Chapters in catalog order, each with its lessons.
pub fn chapters() -> Vec<(&'static str, Vec<&'static Lesson>)> {
    let mut out: Vec<(&'static str, Vec<&'static Lesson>)> = Vec::new();
    for lesson in LESSONS {
        match out.iter_mut().find(|(c, _)| *c == lesson.chapter) {
            Some((_, list)) => list.push(lesson),
            None => out.push((lesson.chapter, vec![lesson])),
        }
    }
    out
}
