//! The tokenizer: source text in, a flat list of [`Token`]s out.
//!
//! Python's layout rules live here. At the start of every logical line the
//! lexer measures the indentation and compares it with a stack of enclosing
//! indentation levels: a deeper line pushes a level and yields one `Indent`
//! token, a shallower one pops levels and yields one `Dedent` per level.
//! Inside brackets none of this happens (a newline there is just whitespace),
//! so the lexer also tracks the stack of open brackets.
//!
//! Like CPython's tokenizer, this one measures indentation twice: once with
//! tabs advancing to the next multiple of 8 and once with tabs counting as a
//! single column. If the two measurements disagree about whether a line is
//! deeper, equal or shallower than the previous level, the indentation only
//! makes sense for one particular tab width, and that is a `TabError`.
//!
//! The lexer never stops the whole parse by itself. When it meets something
//! it cannot tokenize it records a [`LexError`] and ends the token list with
//! a [`Tok::Error`] marker, so the parser can decide, as CPython's does,
//! whether an earlier grammar error or this tokenizer error is the one to
//! report (see `parser::Parser::finish_error`).
//!
//! Strings are cut out but not decoded here: a string token keeps its prefix
//! and raw body, and the parser decodes escapes and f-string fields, because
//! that is where CPython reports those errors too.

use std::sync::Arc;

use num_bigint::BigInt;

use crate::ast::{Constant, Span};
use crate::SyntaxErrorKind;

/// CPython's limit on open brackets (`MAXLEVEL` in its tokenizer).
pub(crate) const MAX_BRACKET_DEPTH: usize = 200;
/// CPython's limit on indentation levels (`MAXINDENT`).
const MAX_INDENT_DEPTH: usize = 100;

pub(crate) const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The operators starting with `c`, longest first so that the first match
/// is the longest one. `$`, `?`, `!` and backquote are included because
/// CPython's tokenizer hands them to its parser as one-character tokens that
/// no grammar rule accepts, so they end up as "invalid syntax".
fn operators_starting_with(c: char) -> &'static [&'static str] {
    match c {
        '*' => &["**=", "**", "*=", "*"],
        '/' => &["//=", "//", "/=", "/"],
        '>' => &[">>=", ">>", ">=", ">"],
        // `<>` is a token of its own that CPython's grammar rejects (unless
        // `from __future__ import barry_as_FLUFL`), so it is invalid syntax
        // at the `<`, not at the `>`.
        '<' => &["<<=", "<<", "<=", "<>", "<"],
        '.' => &["...", "."],
        '-' => &["->", "-=", "-"],
        ':' => &[":=", ":"],
        '=' => &["==", "="],
        '!' => &["!=", "!"],
        '+' => &["+=", "+"],
        '%' => &["%=", "%"],
        '&' => &["&=", "&"],
        '|' => &["|=", "|"],
        '^' => &["^=", "^"],
        '@' => &["@=", "@"],
        '~' => &["~"],
        '(' => &["("],
        ')' => &[")"],
        '[' => &["["],
        ']' => &["]"],
        '{' => &["{"],
        '}' => &["}"],
        ',' => &[","],
        ';' => &[";"],
        '$' => &["$"],
        '?' => &["?"],
        '`' => &["`"],
        _ => &[],
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Name(Arc<str>),
    Keyword(&'static str),
    Number(Constant),
    /// A number with a `j` suffix; the subset has no complex numbers, and the
    /// parser says so when it meets one.
    Imaginary,
    Str(Box<StrToken>),
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    EndMarker,
    /// Where tokenizing stopped because of [`Lexed::error`].
    Error,
}

/// A string literal as written: the parser decodes it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StrToken {
    pub raw: bool,
    pub bytes: bool,
    pub fstring: bool,
    /// The text between the quotes, escapes untouched.
    pub body: String,
    /// Line and 0-based character column where `body` starts, so that the
    /// expressions inside an f-string get real positions.
    pub body_line: u32,
    pub body_col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// How a tokenizer error competes with a grammar error found earlier in the
/// file (CPython tokenizes the rest of the file after a grammar error and lets
/// some tokenizer errors win; see `parser::Parser::finish_error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LexErrorClass {
    /// Raised as an exception by CPython's tokenizer: it wins over any
    /// grammar error (an unterminated string, an invalid literal...).
    Hard,
    /// Reported only when the parser actually reaches it (indentation
    /// errors, a stray backslash).
    Soft,
    /// End of file inside brackets: wins over a grammar error on a later
    /// line than the unclosed bracket.
    Unclosed,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LexError {
    pub kind: SyntaxErrorKind,
    pub msg: String,
    pub line: u32,
    pub col: u32,
    pub end_col: u32,
    pub class: LexErrorClass,
}

pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub error: Option<LexError>,
    /// The source with newlines normalized, for quoting a line in errors.
    pub chars: Vec<char>,
    /// Numbers glued to a keyword (`1if`): the index of the token after the
    /// number, and the error CPython reports if the parse fails there.
    pub glued: Vec<(usize, LexError)>,
}

/// Turns any newline convention into `\n`, as CPython's reader does.
fn normalize_newlines(source: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Line `line` (1-based) of normalized source, without its newline.
pub(crate) fn source_line(chars: &[char], line: u32) -> String {
    chars
        .split(|&c| c == '\n')
        .nth((line as usize).wrapping_sub(1))
        .map(|l| l.iter().collect())
        .unwrap_or_default()
}

pub(crate) fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

/// An approximation of Unicode's XID_Continue without tables: letters and
/// digits, the common combining marks, and the middle dots Python allows.
pub(crate) fn is_id_continue(c: char) -> bool {
    c == '_'
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && (c.is_alphanumeric()
                || matches!(c, '\u{b7}' | '\u{387}' | '\u{300}'..='\u{36f}' | '\u{1369}'..='\u{1371}' | '\u{19da}')))
}

/// CPython's `is_potential_identifier_char`: any non-ASCII byte counts.
fn is_potential_id_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || !c.is_ascii()
}

pub(crate) fn tokenize(source: &str) -> Lexed {
    let chars = normalize_newlines(source);
    let mut lexer = Lexer {
        chars,
        pos: 0,
        line: 1,
        line_start: 0,
        indents: vec![(0, 0)],
        brackets: Vec::new(),
        tokens: Vec::new(),
        error: None,
        glued: Vec::new(),
        comment_start: None,
    };
    lexer.run();
    Lexed {
        tokens: lexer.tokens,
        error: lexer.error,
        chars: lexer.chars,
        glued: lexer.glued,
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    /// Index in `chars` where the current physical line starts.
    line_start: usize,
    /// Indentation levels: (column with tabs to multiples of 8, column with
    /// tabs as 1). CPython's `indstack` and `altindstack`.
    indents: Vec<(usize, usize)>,
    /// Open brackets: (bracket, line, 0-based column).
    brackets: Vec<(char, u32, u32)>,
    tokens: Vec<Token>,
    error: Option<LexError>,
    glued: Vec<(usize, LexError)>,
    /// Where a comment began, if nothing but the comment followed the last
    /// token: CPython's NEWLINE token starts there.
    comment_start: Option<u32>,
}

/// Control flow inside the lexer: `Err(Stop)` means an error was recorded.
struct Stop;

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// 0-based character column of `pos` in its line.
    fn col_of(&self, pos: usize) -> u32 {
        pos.saturating_sub(self.line_start) as u32
    }

    fn newline_here(&mut self) {
        self.line += 1;
        self.line_start = self.pos;
    }

    fn push(&mut self, tok: Tok, _start: usize, start_line: u32, start_col: u32) {
        self.comment_start = None;
        let span = Span {
            line: start_line,
            col: start_col + 1,
            end_line: self.line,
            end_col: self.col_of(self.pos) + 1,
        };
        self.tokens.push(Token { tok, span });
    }

    /// Records an error whose 1-based column is given directly.
    fn fail(
        &mut self,
        kind: SyntaxErrorKind,
        class: LexErrorClass,
        msg: String,
        line: u32,
        col: u32,
        end_col: u32,
    ) -> Stop {
        self.tokens.push(Token {
            tok: Tok::Error,
            span: Span {
                line,
                col: col.max(1),
                end_line: line,
                end_col: end_col.max(col + 1),
            },
        });
        self.error = Some(LexError {
            kind,
            msg,
            line,
            col,
            end_col: end_col.max(col + 1),
            class,
        });
        Stop
    }

    /// A hard error placed as CPython's `syntaxerror(tok, ...)` places it:
    /// the offset is the number of characters before the cursor.
    fn fail_at_cursor(&mut self, msg: impl Into<String>) -> Stop {
        let col = self.col_of(self.pos);
        self.fail(
            SyntaxErrorKind::SyntaxError,
            LexErrorClass::Hard,
            msg.into(),
            self.line,
            col,
            col + 1,
        )
    }

    fn run(&mut self) {
        let _ = self.run_inner();
    }

    fn last_is_content(&self) -> bool {
        matches!(self.tokens.last(), Some(t) if !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
    }

    fn run_inner(&mut self) -> Result<(), Stop> {
        let mut at_line_start = true;
        loop {
            if at_line_start {
                at_line_start = false;
                self.indentation()?;
            }
            // Whitespace between tokens.
            while let Some(' ' | '\t' | '\x0c') = self.peek() {
                self.pos += 1;
            }
            let Some(c) = self.peek() else {
                return self.end_of_file();
            };
            let start = self.pos;
            let start_col = self.col_of(start);
            let start_line = self.line;
            match c {
                '#' => {
                    self.comment_start = Some(start_col);
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                '\n' => {
                    if self.brackets.is_empty() && self.last_is_content() {
                        self.pos += 1;
                        let after_comment = self.comment_start.is_some();
                        let col = self.comment_start.unwrap_or(start_col);
                        self.push(Tok::Newline, start, start_line, col);
                        if let Some(t) = self.tokens.last_mut() {
                            // A comment belongs to the NEWLINE token, as in
                            // CPython: errors there underline the comment.
                            t.span.end_line = start_line;
                            t.span.end_col = if after_comment {
                                start_col + 1
                            } else {
                                col + 2
                            };
                        }
                    } else {
                        self.pos += 1;
                    }
                    self.newline_here();
                    self.comment_start = None;
                    at_line_start = self.brackets.is_empty();
                }
                '\\' => self.continuation()?,
                _ if is_id_start(c) => self.name_or_string()?,
                '0'..='9' => self.number()?,
                '.' if matches!(self.peek_at(1), Some('0'..='9')) => self.number()?,
                '"' | '\'' => self.string(start, String::new())?,
                _ => self.operator(c)?,
            }
        }
    }

    /// A backslash outside a string: it must end the physical line.
    fn continuation(&mut self) -> Result<(), Stop> {
        let (line, col) = (self.line, self.col_of(self.pos));
        self.pos += 1;
        match self.peek() {
            Some('\n') => {
                self.pos += 1;
                self.newline_here();
                if self.peek().is_none() {
                    // CPython points past the end of the backslash's line.
                    return Err(self.fail(
                        SyntaxErrorKind::SyntaxError,
                        LexErrorClass::Soft,
                        "unexpected EOF while parsing".into(),
                        line,
                        col + 2,
                        col + 3,
                    ));
                }
                Ok(())
            }
            None => {
                let col = self.col_of(self.pos);
                Err(self.fail(
                    SyntaxErrorKind::SyntaxError,
                    LexErrorClass::Soft,
                    "unexpected EOF while parsing".into(),
                    self.line,
                    col,
                    col + 1,
                ))
            }
            Some(_) => {
                // CPython reports this one (E_LINECONT) only when the parser
                // reaches it, at the column just after the offending character.
                let col = self.col_of(self.pos) + 1;
                Err(self.fail(
                    SyntaxErrorKind::SyntaxError,
                    LexErrorClass::Soft,
                    "unexpected character after line continuation character".into(),
                    self.line,
                    col,
                    col + 1,
                ))
            }
        }
    }

    fn end_of_file(&mut self) -> Result<(), Stop> {
        if let Some(&(open, line, col)) = self.brackets.last() {
            return Err(self.fail(
                SyntaxErrorKind::SyntaxError,
                LexErrorClass::Unclosed,
                format!("'{open}' was never closed"),
                line,
                col + 1,
                col + 2,
            ));
        }
        let start_col = self.col_of(self.pos);
        if self.last_is_content() {
            // Like CPython, act as if the file ended with a newline.
            self.push(Tok::Newline, self.pos, self.line, start_col);
            if let Some(t) = self.tokens.last_mut() {
                t.span.end_col = start_col + 2;
            }
        }
        // CPython places the end of the file at the end of the last line.
        let line = self.eof_line();
        let col = if line == self.line {
            start_col + 1
        } else {
            let start = self.chars[..self.pos.saturating_sub(1)]
                .iter()
                .rposition(|&c| c == '\n')
                .map_or(0, |p| p + 1);
            (self.pos.saturating_sub(1) - start) as u32 + 1
        };
        let span = Span {
            line,
            col,
            end_line: line,
            end_col: col,
        };
        while self.indents.len() > 1 {
            self.indents.pop();
            self.tokens.push(Token {
                tok: Tok::Dedent,
                span,
            });
        }
        self.tokens.push(Token {
            tok: Tok::EndMarker,
            span,
        });
        Ok(())
    }

    /// Measures the indentation of a new line and emits `Indent`/`Dedent`.
    fn indentation(&mut self) -> Result<(), Stop> {
        let mut col = 0usize;
        let mut altcol = 0usize;
        let mut cont_col = None;
        loop {
            match self.peek() {
                Some(' ') => {
                    col += 1;
                    altcol += 1;
                }
                Some('\t') => {
                    col = (col / 8 + 1) * 8;
                    altcol += 1;
                }
                Some('\x0c') => {
                    col = 0;
                    altcol = 0;
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    // A backslash continuation inside the indentation: the
                    // first one fixes the indentation of what follows.
                    cont_col.get_or_insert(col);
                    self.pos += 2;
                    self.newline_here();
                    continue;
                }
                _ => break,
            }
            self.pos += 1;
        }
        match self.peek() {
            // Blank and comment-only lines do not affect indentation.
            Some('#') | Some('\n') => return Ok(()),
            None => return Ok(()),
            _ => {}
        }
        // CPython keeps the column of the first continuation, except that a
        // backslash in column 0 counts as no continuation at all.
        if let Some(c) = cont_col.filter(|&c| c > 0) {
            col = c;
            altcol = c;
        }
        let (top, alttop) = self.indents.last().copied().unwrap_or((0, 0));
        let here = self.col_of(self.pos);
        let tab_error = |this: &mut Self| {
            let line = this.line;
            this.fail(
                SyntaxErrorKind::TabError,
                LexErrorClass::Soft,
                "inconsistent use of tabs and spaces in indentation".into(),
                line,
                1,
                2,
            )
        };
        if col == top {
            if altcol != alttop {
                return Err(tab_error(self));
            }
        } else if col > top {
            if self.indents.len() >= MAX_INDENT_DEPTH {
                let line = self.line;
                return Err(self.fail(
                    SyntaxErrorKind::IndentationError,
                    LexErrorClass::Soft,
                    "too many levels of indentation".into(),
                    line,
                    here + 1,
                    here + 2,
                ));
            }
            if altcol <= alttop {
                return Err(tab_error(self));
            }
            self.indents.push((col, altcol));
            // CPython's error for an unexpected indent points just past
            // the indentation, at a 1-based column equal to its width.
            let line = self.line;
            self.tokens.push(Token {
                tok: Tok::Indent,
                span: Span {
                    line,
                    col: here.max(1),
                    end_line: line,
                    end_col: here + 1,
                },
            });
        } else {
            // Like CPython, check that the line matches an outer level before
            // emitting any DEDENT.
            if !self.indents.iter().any(|l| l.0 == col) {
                let mut end = self.pos;
                while end < self.chars.len() && self.chars[end] != '\n' {
                    end += 1;
                }
                let col = self.col_of(end) + 1;
                let line = self.line;
                return Err(self.fail(
                    SyntaxErrorKind::IndentationError,
                    LexErrorClass::Soft,
                    "unindent does not match any outer indentation level".into(),
                    line,
                    col,
                    col + 1,
                ));
            }
            while self.indents.len() > 1 && col < self.indents.last().map_or(0, |l| l.0) {
                self.indents.pop();
                let line = self.line;
                self.tokens.push(Token {
                    tok: Tok::Dedent,
                    span: Span {
                        line,
                        col: here + 1,
                        end_line: line,
                        end_col: here + 1,
                    },
                });
            }
            let (top, alttop) = self.indents.last().copied().unwrap_or((0, 0));
            if col != top {
                // CPython places this error at the end of the line.
                let mut end = self.pos;
                while end < self.chars.len() && self.chars[end] != '\n' {
                    end += 1;
                }
                let col = self.col_of(end) + 1;
                let line = self.line;
                return Err(self.fail(
                    SyntaxErrorKind::IndentationError,
                    LexErrorClass::Soft,
                    "unindent does not match any outer indentation level".into(),
                    line,
                    col,
                    col + 1,
                ));
            }
            if altcol != alttop {
                return Err(tab_error(self));
            }
        }
        Ok(())
    }

    fn name_or_string(&mut self) -> Result<(), Stop> {
        let start = self.pos;
        let start_line = self.line;
        let start_col = self.col_of(start);
        while let Some(c) = self.peek() {
            if !is_id_continue(c) {
                break;
            }
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        if let Some('"' | '\'') = self.peek() {
            let lower = word.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
            ) {
                return self.string(start, lower);
            }
        }
        // A character that may continue an identifier in CPython but not
        // here (a non-ASCII symbol) is an invalid character.
        if let Some(c) = self.peek() {
            if !c.is_ascii() && !is_id_continue(c) {
                return Err(self.invalid_character(c));
            }
        }
        let tok = match KEYWORDS.iter().find(|k| **k == word) {
            Some(k) => Tok::Keyword(k),
            None => Tok::Name(word.into()),
        };
        self.push(tok, start, start_line, start_col);
        Ok(())
    }

    fn invalid_character(&mut self, c: char) -> Stop {
        let col = self.col_of(self.pos) + 1;
        let msg = if c.is_control()
            || c.is_whitespace()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
        {
            format!("invalid non-printable character U+{:04X}", c as u32)
        } else {
            format!("invalid character '{c}' (U+{:04X})", c as u32)
        };
        let line = self.line;
        self.fail(
            SyntaxErrorKind::SyntaxError,
            LexErrorClass::Hard,
            msg,
            line,
            col,
            col + 1,
        )
    }

    fn operator(&mut self, c: char) -> Result<(), Stop> {
        let start = self.pos;
        let start_line = self.line;
        let start_col = self.col_of(start);
        let op = operators_starting_with(c).iter().find(|op| {
            op.chars()
                .enumerate()
                .all(|(i, oc)| self.chars.get(start + i) == Some(&oc))
        });
        let Some(&op) = op else {
            return Err(self.invalid_character(c));
        };
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_BRACKET_DEPTH {
                    self.pos += 1;
                    return Err(self.fail_at_cursor("too many nested parentheses"));
                }
                self.brackets.push((c, start_line, start_col));
            }
            ")" | "]" | "}" => {
                self.pos += 1;
                match self.brackets.pop() {
                    None => return Err(self.fail_at_cursor(format!("unmatched '{c}'"))),
                    Some((open, line, _)) => {
                        let expected = match open {
                            '(' => ')',
                            '[' => ']',
                            _ => '}',
                        };
                        if expected != c {
                            let msg = if line != start_line {
                                format!("closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {line}")
                            } else {
                                format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                            };
                            return Err(self.fail_at_cursor(msg));
                        }
                    }
                }
                self.pos -= 1;
            }
            _ => {}
        }
        self.pos += op.chars().count();
        self.push(Tok::Op(op), start, start_line, start_col);
        Ok(())
    }

    /// Cuts out a string literal; `start` is where its prefix begins.
    fn string(&mut self, start: usize, prefix: String) -> Result<(), Stop> {
        let start_line = self.line;
        let start_col = self.col_of(start);
        let quote = self.peek().unwrap_or('"');
        let triple = self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let body_start = self.pos;
        let body_line = self.line;
        let body_col = self.col_of(body_start);
        let body_end;
        loop {
            match self.peek() {
                None => {
                    return Err(self.unterminated(triple, start_line, start_col));
                }
                Some('\n') if !triple => {
                    return Err(self.unterminated(triple, start_line, start_col));
                }
                Some('\n') => {
                    self.pos += 1;
                    self.newline_here();
                }
                Some('\\') => {
                    self.pos += 1;
                    if self.peek() == Some('\n') {
                        self.pos += 1;
                        self.newline_here();
                    } else if self.peek().is_some() {
                        self.pos += 1;
                    }
                }
                Some(c) if c == quote => {
                    if !triple {
                        body_end = self.pos;
                        self.pos += 1;
                        break;
                    }
                    if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
                        body_end = self.pos;
                        self.pos += 3;
                        break;
                    }
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
        let body: String = self.chars[body_start..body_end].iter().collect();
        let tok = StrToken {
            raw: prefix.contains('r'),
            bytes: prefix.contains('b'),
            fstring: prefix.contains('f'),
            body,
            body_line,
            body_col,
        };
        self.push(Tok::Str(Box::new(tok)), start, start_line, start_col);
        Ok(())
    }

    /// The line CPython's tokenizer is on at the end of the file: a final
    /// newline does not start another line.
    fn eof_line(&self) -> u32 {
        if self.pos >= self.chars.len()
            && self.pos > 0
            && self.chars.get(self.pos - 1) == Some(&'\n')
        {
            self.line.saturating_sub(1).max(1)
        } else {
            self.line
        }
    }

    fn unterminated(&mut self, triple: bool, line: u32, col: u32) -> Stop {
        let detected = if self.pos >= self.chars.len() {
            self.eof_line()
        } else {
            self.line
        };
        let msg = if triple {
            format!("unterminated triple-quoted string literal (detected at line {detected})")
        } else {
            format!("unterminated string literal (detected at line {detected})")
        };
        self.fail(
            SyntaxErrorKind::SyntaxError,
            LexErrorClass::Hard,
            msg,
            line,
            col + 1,
            col + 2,
        )
    }

    fn number(&mut self) -> Result<(), Stop> {
        let start = self.pos;
        let start_line = self.line;
        let start_col = self.col_of(start);
        let c = self.peek().unwrap_or('0');
        let next = self.peek_at(1).map(|c| c.to_ascii_lowercase());
        if c == '0' && matches!(next, Some('x' | 'o' | 'b')) {
            let (radix, kind) = match next {
                Some('x') => (16, "hexadecimal"),
                Some('o') => (8, "octal"),
                _ => (2, "binary"),
            };
            self.pos += 2;
            let mut digits = String::new();
            loop {
                if self.peek() == Some('_') {
                    self.pos += 1;
                }
                match self.peek() {
                    Some(d) if d.is_digit(radix) => {
                        digits.push(d);
                        self.pos += 1;
                    }
                    Some(d) if d.is_ascii_digit() && radix < 10 => {
                        self.pos += 1;
                        return Err(
                            self.fail_at_cursor(format!("invalid digit '{d}' in {kind} literal"))
                        );
                    }
                    _ => {
                        if digits.is_empty()
                            || self.chars.get(self.pos.saturating_sub(1)) == Some(&'_')
                        {
                            return Err(self.fail_at_cursor(format!("invalid {kind} literal")));
                        }
                        break;
                    }
                }
            }
            self.end_of_number(kind)?;
            let value = match i64::from_str_radix(&digits, radix) {
                Ok(v) => Constant::Int(v),
                Err(_) => match BigInt::parse_bytes(digits.as_bytes(), radix) {
                    Some(b) => Constant::BigInt(b),
                    None => return Err(self.fail_at_cursor(format!("invalid {kind} literal"))),
                },
            };
            self.push(Tok::Number(value), start, start_line, start_col);
            return Ok(());
        }
        let mut text = String::new();
        let mut is_float = false;
        if c != '.' {
            self.decimal_digits(&mut text)?;
        }
        if self.peek() == Some('.') {
            is_float = true;
            text.push('.');
            self.pos += 1;
            if let Some('0'..='9') = self.peek() {
                self.decimal_digits(&mut text)?;
            }
        }
        if let Some('e' | 'E') = self.peek() {
            let after = self.peek_at(1);
            let after2 = self.peek_at(2);
            let has_exp = match after {
                Some('0'..='9') => true,
                Some('+' | '-') => {
                    if !matches!(after2, Some('0'..='9')) {
                        self.pos += 2;
                        return Err(self.fail_at_cursor("invalid decimal literal"));
                    }
                    true
                }
                _ => false,
            };
            if has_exp {
                is_float = true;
                text.push('e');
                self.pos += 1;
                if let Some(sign @ ('+' | '-')) = self.peek() {
                    text.push(sign);
                    self.pos += 1;
                }
                self.decimal_digits(&mut text)?;
            }
        }
        if let Some('j' | 'J') = self.peek() {
            self.pos += 1;
            self.end_of_number("imaginary")?;
            self.push(Tok::Imaginary, start, start_line, start_col);
            return Ok(());
        }
        self.end_of_number("decimal")?;
        if !is_float && text.len() > 1 && text.starts_with('0') && text.chars().any(|d| d != '0') {
            let line = self.line;
            let end =
                self.col_of(start) + 1 + text.chars().take_while(|&d| d == '0').count() as u32;
            return Err(self.fail(
                SyntaxErrorKind::SyntaxError,
                LexErrorClass::Hard,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
                    .into(),
                line,
                start_col + 1,
                end,
            ));
        }
        let value = if is_float {
            Constant::Float(text.parse::<f64>().unwrap_or(f64::INFINITY))
        } else {
            match text.parse::<i64>() {
                Ok(v) => Constant::Int(v),
                Err(_) => match text.parse::<BigInt>() {
                    Ok(b) => Constant::BigInt(b),
                    Err(_) => return Err(self.fail_at_cursor("invalid decimal literal")),
                },
            }
        };
        self.push(Tok::Number(value), start, start_line, start_col);
        Ok(())
    }

    /// Digits with single underscores between them (CPython's
    /// `tok_decimal_tail`), appended to `text` without the underscores.
    fn decimal_digits(&mut self, text: &mut String) -> Result<(), Stop> {
        loop {
            while let Some(d @ '0'..='9') = self.peek() {
                text.push(d);
                self.pos += 1;
            }
            if self.peek() != Some('_') {
                return Ok(());
            }
            self.pos += 1;
            if !matches!(self.peek(), Some('0'..='9')) {
                return Err(self.fail_at_cursor("invalid decimal literal"));
            }
        }
    }

    /// CPython's `verify_end_of_number`: a number glued to an identifier is an
    /// error, except before the keywords that may follow a number in valid
    /// code (`1if x else 2`).
    fn end_of_number(&mut self, kind: &str) -> Result<(), Stop> {
        let Some(c) = self.peek() else { return Ok(()) };
        let rest: String = self.chars[self.pos..self.chars.len().min(self.pos + 4)]
            .iter()
            .collect();
        let allowed = ["and", "else", "for", "if", "in", "is", "or", "not"]
            .iter()
            .any(|k| rest.starts_with(k));
        if !allowed && c.is_ascii() && is_potential_id_char(c) {
            return Err(self.fail_at_cursor(format!("invalid {kind} literal")));
        }
        if allowed {
            // `1if x else y` is valid (CPython only warns), but if the parse
            // fails right after such a number, CPython reports the warning's
            // text as the error. The number is the next token pushed.
            let col = self.col_of(self.pos);
            self.glued.push((
                self.tokens.len() + 1,
                LexError {
                    kind: SyntaxErrorKind::SyntaxError,
                    msg: format!("invalid {kind} literal"),
                    line: self.line,
                    col,
                    end_col: col + 1,
                    class: LexErrorClass::Hard,
                },
            ));
        }
        Ok(())
    }
}
