//! Syntax errors, rendered as CPython 3.11 renders them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl SyntaxErrorKind {
    pub fn python_name(self) -> &'static str {
        match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
        }
    }
}

/// A parse failure at a position. `line` and `col` are 1-based, `col` counts
/// characters like CPython's `SyntaxError.offset`; `end_col` is exclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub msg: String,
    pub filename: String,
    pub line: u32,
    pub col: u32,
    pub end_col: u32,
    /// The offending source line, without its newline.
    pub source_line: String,
}

impl SyntaxError {
    /// The text CPython prints on stderr for this error, e.g.
    ///
    /// ```text
    ///   File "main.py", line 1
    ///     x = = 1
    ///         ^
    /// SyntaxError: invalid syntax
    /// ```
    ///
    /// Like CPython's `print_error_text`: the line is shown without its
    /// indentation, the caret line is left out when the column points into
    /// that indentation (an unexpected indent, say), and a column past the
    /// end of the line is clipped to it.
    pub fn render(&self) -> String {
        let mut out = format!("  File \"{}\", line {}\n", self.filename, self.line);
        let line = self.source_line.trim_end_matches(['\n', '\r']);
        let text = line.trim_start_matches([' ', '\t', '\x0c']);
        let indent = line.chars().count() - text.chars().count();
        out.push_str("    ");
        out.push_str(text);
        out.push('\n');
        let offset = self.col as i64 - 1 - indent as i64;
        if offset >= 0 && !text.is_empty() {
            let start = (offset as usize).min(text.chars().count());
            let width = (self.end_col.saturating_sub(self.col) as usize).max(1);
            out.push_str("    ");
            out.push_str(&" ".repeat(start));
            out.push_str(&"^".repeat(width));
            out.push('\n');
        }
        out.push_str(self.kind.python_name());
        out.push_str(": ");
        out.push_str(&self.msg);
        out.push('\n');
        out
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (line {}, column {})", self.kind.python_name(), self.msg, self.line, self.col)
    }
}

impl std::error::Error for SyntaxError {}
