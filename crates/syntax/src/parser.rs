//! The parser: tokens in, [`Module`] out. Statements live here; expressions
//! in `expr.rs`, string literals in `strings.rs`, assignment-target checks in
//! `targets.rs`, the checks CPython makes after parsing (`return` outside a
//! function...) in `context.rs`, and tree-depth limits in `depth.rs`.
//!
//! It is a hand-written recursive-descent parser that follows the rule names
//! of CPython's PEG grammar (`star_expressions`, `named_expression`, ...), so
//! a reader can put the two side by side. CPython parses twice: a fast pass,
//! and on failure a second pass with extra `invalid_*` rules that only exist to
//! produce good messages. Here the good messages are produced directly at the
//! point where the grammar fails, which is usually the same place.
//!
//! # Which error wins
//!
//! CPython's tokenizer runs lazily, so a grammar error early in the file is
//! normally reported before a tokenizer problem further down. But after a
//! grammar error CPython tokenizes the rest of the file and lets a *hard*
//! tokenizer error (an unterminated string, a bad number) replace it, and an
//! unclosed bracket replaces it when the bracket opened on an earlier line.
//! [`Parser::finish_error`] applies the same rules to the lexer's recorded
//! error.
//!
//! CPython also reports some errors at positions its error recovery reached
//! rather than where its first pass failed; the few such rules that matter
//! for real mistakes are imitated where they are cheap (see
//! `Parser::after_expression_statement` and `Parser::equals_hint`).
//!
//! # Nesting limits
//!
//! The lexer refuses more than 200 open brackets, like CPython. Operators
//! need no recursion at all (`expr.rs` parses them with explicit stacks).
//! The remaining recursion (brackets, `lambda: lambda: ...`,
//! `a if b else c if ...`, nested blocks) goes through [`Parser::enter`],
//! which counts the depth and measures the stack actually used, so no input
//! can overflow the stack: a release build parses CPython's maximum of 200
//! nested brackets in about 550 KB of stack.

use std::sync::Arc;

use crate::ast::*;
use crate::context::{ScopeKind, Tier};
use crate::lexer::{self, LexError, LexErrorClass, Tok, Token};
use crate::{SyntaxError, SyntaxErrorKind};

/// How deeply expressions and blocks may nest. The lexer already refuses
/// more than 200 open brackets; this bounds the other ways of nesting
/// (`lambda: lambda: ...`, `a if b else c if ...`, nested blocks).
const MAX_NESTING: u32 = 400;

/// How much stack the parser may use below the point where parsing started.
/// Nesting is also bounded by depth, but stack frames differ a lot between
/// debug and release builds, so the parser measures what it really uses and
/// stops with a SyntaxError well before the thread's stack (1 MB on wasm,
/// 2 MB on Rust's spawned threads) could overflow. A release build on x86-64
/// needs about 550 KB for CPython's maximum of 200 nested brackets, which
/// this budget admits; debug builds need about five times more per level and
/// stop earlier.
const STACK_BUDGET: usize = if cfg!(debug_assertions) {
    1536 << 10
} else {
    640 << 10
};

/// The address of a local variable: where the stack is right now.
#[inline(always)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// A post-parse error waiting for the parse to finish: message and place.
pub(crate) type Deferred = (String, Span);

/// A parse failure before it is turned into a [`SyntaxError`].
#[derive(Clone, Debug)]
pub(crate) struct PErr {
    pub kind: SyntaxErrorKind,
    pub msg: String,
    pub span: Span,
    /// CPython does not look for tokenizer errors further down after an
    /// "unexpected indent".
    pub skip_rest_check: bool,
    /// The line to show instead of the source line: errors inside an
    /// f-string's replacement field show that field's text, as in 3.11.
    pub source_line: Option<String>,
}

pub(crate) type PResult<T> = Result<T, PErr>;

/// Parses a whole module.
pub fn parse(source: &str, filename: &str) -> Result<Module, SyntaxError> {
    let lexed = lexer::tokenize(source);
    let mut parser = Parser::new(lexed.tokens, lexed.error);
    let result = parser.module();
    result.map_err(|e| {
        // A number glued to a keyword where the parse failed: CPython's
        // tokenizer turns its warning into this error, ahead of any other
        // tokenizer error further down.
        let mut e = if e.msg == "invalid syntax" {
            e
        } else {
            parser.finish_error(e)
        };
        if e.msg == "invalid syntax" {
            let failed_at = parser
                .tokens
                .iter()
                .position(|t| t.span.line == e.span.line && t.span.col == e.span.col);
            if let Some((_, le)) = lexed.glued.iter().find(|(i, _)| Some(*i) == failed_at) {
                e.msg = le.msg.clone();
                e.span = Span {
                    line: le.line,
                    col: le.col,
                    end_line: le.line,
                    end_col: le.end_col,
                };
            } else {
                e = parser.finish_error(e);
            }
        }
        let source_line = match e.source_line {
            Some(line) => line,
            None => lexer::source_line(&lexed.chars, e.span.line),
        };
        SyntaxError {
            kind: e.kind,
            msg: e.msg,
            filename: filename.into(),
            line: e.span.line,
            col: e.span.col,
            end_col: if e.span.end_line == e.span.line && e.span.end_col > e.span.col {
                e.span.end_col
            } else {
                e.span.col + 1
            },
            source_line,
        }
    })
}

pub(crate) struct Parser {
    pub(crate) tokens: Vec<Token>,
    pub(crate) pos: usize,
    pub(crate) lex_error: Option<LexError>,
    /// Current recursion depth, see [`Parser::enter`].
    pub(crate) depth: u32,
    /// Open brackets around the current position; some messages ("Perhaps you
    /// forgot a comma?") only apply inside brackets.
    pub(crate) bracket_depth: u32,
    /// Whether errors are being reported for an f-string's expression, which
    /// CPython prefixes with "f-string: ".
    pub(crate) in_fstring: bool,
    /// The furthest token position ever reached, even if the parser backed
    /// up since: reaching the lexer's error marker means CPython's tokenizer
    /// would have raised that error.
    pub(crate) furthest: usize,
    /// [`stack_position`] when parsing started, for [`STACK_BUDGET`].
    pub(crate) stack_base: usize,
    /// Enclosing functions and classes, for the checks in `context.rs`.
    pub(crate) scopes: Vec<crate::context::Scope>,
    /// The first post-parse error of each tier (see `context.rs`).
    pub(crate) deferred: (Option<Deferred>, Option<Deferred>),
}

impl Parser {
    pub(crate) fn new(mut tokens: Vec<Token>, lex_error: Option<LexError>) -> Parser {
        if tokens.is_empty() {
            tokens.push(Token {
                tok: Tok::EndMarker,
                span: Span {
                    line: 1,
                    col: 1,
                    end_line: 1,
                    end_col: 1,
                },
            });
        }
        Parser {
            tokens,
            pos: 0,
            lex_error,
            depth: 0,
            bracket_depth: 0,
            in_fstring: false,
            furthest: 0,
            stack_base: stack_position(),
            scopes: vec![crate::context::Scope {
                kind: ScopeKind::Module,
                loops: 0,
            }],
            deferred: (None, None),
        }
    }

    /// Decides between a grammar error and the lexer's error, as CPython does
    /// (see the module docs).
    pub(crate) fn finish_error(&self, e: PErr) -> PErr {
        if let Some(le) = &self.lex_error {
            let at_error_token = matches!(
                self.tokens.get(self.furthest).map(|t| &t.tok),
                Some(Tok::Error)
            );
            let wins = at_error_token
                || (!e.skip_rest_check
                    && match le.class {
                        LexErrorClass::Hard => true,
                        LexErrorClass::Unclosed => {
                            le.line < self.last_fetched_line().max(e.span.line)
                        }
                        LexErrorClass::Soft => false,
                    });
            if wins {
                return PErr {
                    kind: le.kind,
                    msg: le.msg.clone(),
                    span: Span {
                        line: le.line,
                        col: le.col,
                        end_line: le.line,
                        end_col: le.end_col,
                    },
                    skip_rest_check: false,
                    source_line: None,
                };
            }
        }
        e
    }

    /// The line of the furthest token the parser has looked at, which is
    /// what CPython compares with an unclosed bracket's line.
    fn last_fetched_line(&self) -> u32 {
        self.tokens
            .get(self.furthest.max(self.pos))
            .map_or(0, |t| t.span.line)
    }

    /// Whether only DEDENT tokens stand between here and the end of file.
    fn dedents_to_eof(&self) -> bool {
        let mut after = self.pos;
        while matches!(self.tokens.get(after).map(|t| &t.tok), Some(Tok::Dedent)) {
            after += 1;
        }
        matches!(
            self.tokens.get(after).map(|t| &t.tok),
            Some(Tok::EndMarker) | None
        )
    }

    // ----- token helpers -------------------------------------------------

    pub(crate) fn tok(&self) -> &Tok {
        self.tok_at(0)
    }

    pub(crate) fn tok_at(&self, ahead: usize) -> &Tok {
        match self.tokens.get(self.pos + ahead) {
            Some(t) => &t.tok,
            None => self.tokens.last().map_or(&Tok::EndMarker, |t| &t.tok),
        }
    }

    pub(crate) fn span(&self) -> Span {
        self.span_at(0)
    }

    pub(crate) fn span_at(&self, ahead: usize) -> Span {
        match self.tokens.get(self.pos + ahead) {
            Some(t) => t.span,
            None => self.tokens.last().map_or(Span::default(), |t| t.span),
        }
    }

    /// The span of the last consumed token.
    /// The span of the last consumed token that is part of the text: a
    /// statement or block ends with its last real token, not with the
    /// NEWLINE or DEDENT after it.
    pub(crate) fn prev_span(&self) -> Span {
        let mut p = self.pos;
        while p > 0 {
            p -= 1;
            match self.tokens.get(p) {
                Some(t) if matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent) => continue,
                Some(t) => return t.span,
                None => break,
            }
        }
        self.span()
    }

    /// A span from `start` to the end of the last consumed token.
    pub(crate) fn span_from(&self, start: Span) -> Span {
        let end = self.prev_span();
        Span {
            line: start.line,
            col: start.col,
            end_line: end.end_line,
            end_col: end.end_col,
        }
    }

    /// Consumes the current token (never the end marker or the lexer's
    /// error marker) and returns its span.
    pub(crate) fn bump(&mut self) -> Span {
        let span = self.span();
        if self.pos < self.tokens.len() && !matches!(self.tok(), Tok::EndMarker | Tok::Error) {
            self.pos += 1;
        }
        self.furthest = self.furthest.max(self.pos);
        span
    }

    pub(crate) fn at_op(&self, op: &str) -> bool {
        matches!(self.tok(), Tok::Op(o) if *o == op)
    }

    pub(crate) fn at_kw(&self, kw: &str) -> bool {
        matches!(self.tok(), Tok::Keyword(k) if *k == kw)
    }

    pub(crate) fn eat_op(&mut self, op: &str) -> bool {
        if self.at_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn err(&self, msg: impl Into<String>, span: Span) -> PErr {
        let msg = msg.into();
        let msg = if self.in_fstring {
            format!("f-string: {msg}")
        } else {
            msg
        };
        PErr {
            kind: SyntaxErrorKind::SyntaxError,
            msg,
            span,
            skip_rest_check: false,
            source_line: None,
        }
    }

    /// "invalid syntax" at the current token.
    pub(crate) fn invalid(&self) -> PErr {
        // Like CPython, a grammar failure right at an INDENT or DEDENT token
        // is an indentation problem.
        let indentation = match self.tok() {
            Tok::Indent => Some("unexpected indent"),
            Tok::Dedent => Some("unexpected unindent"),
            _ => None,
        };
        if let (Some(msg), false) = (indentation, self.in_fstring) {
            let mut span = self.span();
            if matches!(self.tok(), Tok::Dedent) && !self.dedents_to_eof() {
                // CPython has no column for a DEDENT token and reports 0.
                span.col = 0;
            }
            return PErr {
                kind: SyntaxErrorKind::IndentationError,
                msg: msg.into(),
                span,
                skip_rest_check: true,
                source_line: None,
            };
        }
        self.err("invalid syntax", self.span())
    }

    pub(crate) fn expect_op(&mut self, op: &str) -> PResult<Span> {
        if self.at_op(op) {
            Ok(self.bump())
        } else {
            Err(self.invalid())
        }
    }

    /// A name (not a keyword).
    pub(crate) fn expect_name(&mut self) -> PResult<(Name, Span)> {
        match self.tok() {
            Tok::Name(n) => {
                let n = n.clone();
                let span = self.bump();
                Ok((n, span))
            }
            _ => Err(self.invalid()),
        }
    }

    /// Guards recursion; pair every successful call with [`Parser::leave`].
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        // The stack grows downwards on every platform Interleave runs on; if
        // it did not, the subtraction saturates and only the depth counts.
        let used = self.stack_base.saturating_sub(stack_position());
        if self.depth > MAX_NESTING || used > STACK_BUDGET {
            let msg = if self.bracket_depth > 0 {
                "too many nested parentheses"
            } else {
                "too deeply nested"
            };
            return Err(self.err(msg, self.span()));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- statements ----------------------------------------------------

    fn module(&mut self) -> PResult<Module> {
        let mut body = Vec::new();
        loop {
            match self.tok() {
                Tok::EndMarker => break,
                Tok::Newline => {
                    self.bump();
                }
                _ => self.statement(&mut body)?,
            }
        }
        if let Some(e) = self.deferred_error() {
            return Err(e);
        }
        Ok(Module { body })
    }

    /// One statement line (several for `a; b`), appended to `out`.
    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        match self.tok() {
            Tok::Indent => {
                let mut e = self.err("unexpected indent", self.span());
                e.kind = SyntaxErrorKind::IndentationError;
                e.skip_rest_check = true;
                Err(e)
            }
            Tok::Dedent => {
                let mut e = self.err("unexpected unindent", self.span());
                e.kind = SyntaxErrorKind::IndentationError;
                e.skip_rest_check = true;
                Err(e)
            }
            Tok::Keyword("if") => {
                let s = self.if_stmt()?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("while") => {
                let s = self.while_stmt()?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("for") => {
                let start = self.span();
                let s = self.for_stmt(start, false)?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("try") => {
                let s = self.try_stmt()?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("with") => {
                let start = self.span();
                let s = self.with_stmt(start, false)?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("def") => {
                let start = self.span();
                let s = self.function_def(start, Vec::new(), false)?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("class") => {
                let start = self.span();
                let s = self.class_def(start, Vec::new())?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("async") => {
                let s = self.async_stmt(Vec::new())?;
                out.push(s);
                Ok(())
            }
            Tok::Op("@") => {
                let s = self.decorated()?;
                out.push(s);
                Ok(())
            }
            Tok::Keyword("elif" | "else" | "except" | "finally") => Err(self.invalid()),
            _ => {
                let save = self.pos;
                match self.simple_stmts(out) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        // `match` is a soft keyword: only a failed parse as an
                        // ordinary statement makes it a match statement.
                        self.pos = save;
                        if let Some(span) = self.looks_like_match() {
                            return Err(
                                self.err("match statements are not supported by Interleave", span)
                            );
                        }
                        Err(e)
                    }
                }
            }
        }
    }

    /// `match <something>:` ending its line, as a match statement starts.
    fn looks_like_match(&self) -> Option<Span> {
        if !matches!(self.tok(), Tok::Name(n) if &**n == "match") {
            return None;
        }
        let mut i = self.pos + 1;
        let mut depth = 0i32;
        let mut last_colon = false;
        while let Some(t) = self.tokens.get(i) {
            match &t.tok {
                Tok::Newline | Tok::EndMarker | Tok::Error => break,
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") => depth -= 1,
                _ => {}
            }
            last_colon = depth == 0 && t.tok == Tok::Op(":");
            i += 1;
        }
        if last_colon && i > self.pos + 2 {
            Some(self.span())
        } else {
            None
        }
    }

    fn at_stmt_end(&self) -> bool {
        matches!(self.tok(), Tok::Newline | Tok::Op(";") | Tok::EndMarker)
    }

    /// `simple_stmt (';' simple_stmt)* [';'] NEWLINE`
    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let s = self.simple_stmt()?;
            out.push(s);
            if self.eat_op(";") {
                if matches!(self.tok(), Tok::Newline | Tok::EndMarker) {
                    break;
                }
                continue;
            }
            break;
        }
        match self.tok() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::EndMarker => Ok(()),
            _ => Err(self.invalid()),
        }
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let kind = match self.tok() {
            Tok::Keyword("pass") => {
                self.bump();
                StmtKind::Pass
            }
            Tok::Keyword("break") => {
                let span = self.bump();
                self.check_loop_control(true, span);
                StmtKind::Break
            }
            Tok::Keyword("continue") => {
                let span = self.bump();
                self.check_loop_control(false, span);
                StmtKind::Continue
            }
            Tok::Keyword("return") => {
                self.bump();
                let kind = if self.at_stmt_end() {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.star_expressions()?))
                };
                self.check_return(self.span_from(start));
                kind
            }
            Tok::Keyword("raise") => {
                self.bump();
                if self.at_stmt_end() {
                    StmtKind::Raise {
                        exc: None,
                        cause: None,
                    }
                } else {
                    let exc = self.expression()?;
                    let cause = if self.eat_kw("from") {
                        Some(self.expression()?)
                    } else {
                        None
                    };
                    StmtKind::Raise {
                        exc: Some(exc),
                        cause,
                    }
                }
            }
            Tok::Keyword(kw @ ("global" | "nonlocal")) => {
                let global = *kw == "global";
                self.bump();
                let mut names = vec![self.expect_name()?.0];
                while self.eat_op(",") {
                    names.push(self.expect_name()?.0);
                }
                if global {
                    StmtKind::Global(names)
                } else {
                    self.check_nonlocal(self.span_from(start));
                    StmtKind::Nonlocal(names)
                }
            }
            Tok::Keyword("del") => {
                self.bump();
                let targets = self.del_targets()?;
                StmtKind::Delete(targets)
            }
            Tok::Keyword("assert") => {
                self.bump();
                let test = self.expression()?;
                let msg = if self.eat_op(",") {
                    Some(self.expression()?)
                } else {
                    None
                };
                StmtKind::Assert { test, msg }
            }
            Tok::Keyword("import") => {
                self.bump();
                let mut names = vec![self.dotted_as_name()?];
                while self.eat_op(",") {
                    names.push(self.dotted_as_name()?);
                }
                StmtKind::Import(names)
            }
            Tok::Keyword("from") => self.import_from()?,
            _ => self.expr_or_assign(start)?,
        };
        Ok(Stmt {
            kind,
            span: self.span_from(start),
        })
    }

    fn del_targets(&mut self) -> PResult<Vec<Expr>> {
        let mut targets = Vec::new();
        loop {
            let e = if self.at_op("*") {
                self.star_target()?
            } else {
                self.bitwise_or_or_comparison()?
            };
            self.check_target(&e, crate::targets::TargetKind::Del)?;
            targets.push(e);
            if !self.eat_op(",") || self.at_stmt_end() {
                break;
            }
        }
        Ok(targets)
    }

    fn dotted_name(&mut self) -> PResult<(Name, Span)> {
        let (first, start) = self.expect_name()?;
        let mut name = first.to_string();
        while self.at_op(".") {
            self.bump();
            name.push('.');
            name.push_str(&self.expect_name()?.0);
        }
        Ok((name.into(), self.span_from(start)))
    }

    fn dotted_as_name(&mut self) -> PResult<Alias> {
        let (name, start) = self.dotted_name()?;
        let asname = if self.eat_kw("as") {
            Some(self.expect_name()?.0)
        } else {
            None
        };
        Ok(Alias {
            name,
            asname,
            span: self.span_from(start),
        })
    }

    fn import_from(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut level = 0u32;
        loop {
            if self.eat_op(".") {
                level += 1;
            } else if self.eat_op("...") {
                level += 3;
            } else {
                break;
            }
        }
        let module = if level > 0 && self.at_kw("import") {
            None
        } else {
            Some(self.dotted_name()?.0)
        };
        if !self.eat_kw("import") {
            return Err(self.invalid());
        }
        let mut names = Vec::new();
        if self.at_op("*") {
            let span = self.bump();
            names.push(Alias {
                name: "*".into(),
                asname: None,
                span,
            });
        } else if self.eat_op("(") {
            self.bracket_depth += 1;
            loop {
                names.push(self.import_as_name()?);
                if !self.eat_op(",") || self.at_op(")") {
                    break;
                }
            }
            self.bracket_depth -= 1;
            self.expect_op(")")?;
        } else {
            loop {
                names.push(self.import_as_name()?);
                if !self.eat_op(",") {
                    break;
                }
                if self.at_stmt_end() {
                    return Err(self.err(
                        "trailing comma not allowed without surrounding parentheses",
                        self.span(),
                    ));
                }
            }
        }
        Ok(StmtKind::ImportFrom {
            module,
            names,
            level,
        })
    }

    fn import_as_name(&mut self) -> PResult<Alias> {
        let (name, start) = self.expect_name()?;
        let asname = if self.eat_kw("as") {
            Some(self.expect_name()?.0)
        } else {
            None
        };
        Ok(Alias {
            name,
            asname,
            span: self.span_from(start),
        })
    }

    /// Expression statements and every kind of assignment.
    fn expr_or_assign(&mut self, start: Span) -> PResult<StmtKind> {
        let first = if self.at_kw("yield") {
            self.yield_expr()?
        } else {
            self.star_expressions()?
        };
        if self.at_op("=") {
            let first_eq = self.pos;
            let mut items = vec![first];
            while self.eat_op("=") {
                let e = if self.at_kw("yield") {
                    self.yield_expr()
                } else {
                    self.star_expressions()
                };
                match e {
                    Ok(e) => items.push(e),
                    // The assignment as a whole failed: CPython then tries
                    // its hint about `=` meant as `==` on the first target.
                    Err(e) if e.msg == "invalid syntax" => {
                        // CPython's `invalid_assignment` still judges the
                        // targets read so far, then tries its `==` hint.
                        self.check_assign_targets(&items, first_eq)?;
                        if items.len() > 1 {
                            return Err(self.equals_hint(&items[0], first_eq).unwrap_or(e));
                        }
                        return Err(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            let value = items.pop().ok_or_else(|| self.invalid())?;
            if !self.at_stmt_end() {
                return Err(self.after_expression_statement(&value, false));
            }
            self.check_assign_targets(&items, first_eq)?;
            for t in &items {
                self.check_starred_target(t);
            }
            if let ExprKind::Starred(_) = value.kind {
                self.defer(
                    Tier::CodeGen,
                    "can't use starred expression here",
                    value.span,
                );
            }
            return Ok(StmtKind::Assign {
                targets: items,
                value,
            });
        }
        if let Tok::Op(op) = self.tok() {
            if let Some(binop) = aug_op(op) {
                if !matches!(
                    first.kind,
                    ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }
                ) {
                    let name = crate::targets::expr_name(&first);
                    return Err(self.err(
                        format!("'{name}' is an illegal expression for augmented assignment"),
                        first.span,
                    ));
                }
                self.bump();
                let value = if self.at_kw("yield") {
                    self.yield_expr()?
                } else {
                    self.star_expressions()?
                };
                if let ExprKind::Starred(_) = value.kind {
                    self.defer(
                        Tier::CodeGen,
                        "can't use starred expression here",
                        value.span,
                    );
                }
                return Ok(StmtKind::AugAssign {
                    target: first,
                    op: binop,
                    value,
                });
            }
        }
        if self.at_op(":") && matches!(first.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) {
            return Err(self.invalid());
        }
        if self.at_op(":") {
            // CPython only judges the target once the annotation parsed.
            let save = self.pos;
            let colon = self.bump();
            let annotation_ok = self.expression();
            self.pos = save;
            let valid_target = matches!(
                first.kind,
                ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }
            );
            match annotation_ok {
                _ if matches!(first.kind, ExprKind::Starred(_)) => {
                    return Err(self.err("invalid syntax", colon))
                }
                Err(_) if !valid_target => return Err(self.err("invalid syntax", colon)),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
            let parenthesized = self.is_parenthesized(&first, start);
            match &first.kind {
                ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {}
                ExprKind::Tuple(items) if !parenthesized => {
                    // CPython points at the first element.
                    let span = items.first().map_or(first.span, |i| i.span);
                    return Err(self.err("only single target (not tuple) can be annotated", span));
                }
                ExprKind::Tuple(_) => {
                    return Err(self.err(
                        "only single target (not tuple) can be annotated",
                        first.span,
                    ));
                }
                ExprKind::List(_) => {
                    return Err(
                        self.err("only single target (not list) can be annotated", first.span)
                    );
                }
                _ => return Err(self.err("illegal target for annotation", first.span)),
            }
            self.bump();
            let annotation = self.expression()?;
            let value = if self.eat_op("=") {
                Some(if self.at_kw("yield") {
                    self.yield_expr()?
                } else {
                    self.star_expressions()?
                })
            } else {
                None
            };
            return Ok(StmtKind::AnnAssign {
                target: first,
                annotation,
                value,
            });
        }
        if !self.at_stmt_end() {
            return Err(self.after_expression_statement(&first, true));
        }
        if let Some(e) = self.legacy_print_redirect(&first) {
            return Err(e);
        }
        if let ExprKind::Starred(_) = first.kind {
            self.defer(
                Tier::CodeGen,
                "can't use starred expression here",
                first.span,
            );
        }
        Ok(StmtKind::Expr(first))
    }

    fn is_parenthesized(&self, e: &Expr, start: Span) -> bool {
        e.span.col != start.col || e.span.line != start.line
    }

    /// The error for an expression statement followed by something that
    /// cannot follow it.
    fn after_expression_statement(&mut self, first: &Expr, statement_start: bool) -> PErr {
        if let ExprKind::Name(n) = &first.kind {
            // CPython's `invalid_legacy_expression` reads the expression after
            // any name (then only complains about `print` and `exec`), so
            // errors inside that expression surface first.
            if !self.at_op("(") && self.starts_expression() {
                let save = self.pos;
                let res = self.lenient_expression(true);
                self.pos = save;
                let legacy = &**n == "print" || &**n == "exec";
                match res {
                    Err(e)
                        if e.msg != "invalid syntax"
                            && !e.msg.ends_with("Perhaps you forgot a comma?") =>
                    {
                        return e;
                    }
                    Ok(b) if legacy => {
                        let span = Span {
                            line: first.span.line,
                            col: first.span.col,
                            end_line: b.span.end_line,
                            end_col: b.span.end_col,
                        };
                        return self.err(
                            format!("Missing parentheses in call to '{n}'. Did you mean {n}(...)?"),
                            span,
                        );
                    }
                    _ => {}
                }
            }
        }
        if statement_start
            && self.at_op(":=")
            && !matches!(first.kind, ExprKind::Name(_) | ExprKind::Tuple(_))
        {
            // CPython's `invalid_named_expression`, when the value parses.
            let save = self.pos;
            self.bump();
            let rhs = self.expression();
            self.pos = save;
            if rhs.is_ok() {
                let name = crate::targets::expr_name(first);
                return self.err(
                    format!("cannot use assignment expressions with {name}"),
                    first.span,
                );
            }
        }
        if matches!(self.tok(), Tok::Keyword("not"))
            && !matches!(self.tok_at(1), Tok::Keyword("in"))
        {
            // CPython read the `not` hoping for `not in` and fails after it.
            return self.err("invalid syntax", self.span_at(1));
        }
        self.invalid()
    }

    /// `print >>f, x` parses as an expression (a shift) in Python 3, but it is
    /// always a leftover from Python 2.
    fn legacy_print_redirect(&self, e: &Expr) -> Option<PErr> {
        let left = match &e.kind {
            ExprKind::Tuple(items) => items.first()?,
            _ => e,
        };
        if let ExprKind::BinOp {
            left: l,
            op: BinOp::RShift,
            ..
        } = &left.kind
        {
            if matches!(&l.kind, ExprKind::Name(n) if &**n == "print") {
                return Some(self.err(
                    "the Python 2 statement 'print >>file, ...' is not supported by Interleave; use print(..., file=file)",
                    e.span,
                ));
            }
        }
        None
    }

    /// The `:` that opens a compound statement's block.
    fn expect_colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            return Ok(());
        }
        if matches!(self.tok(), Tok::Newline) {
            return Err(self.err("expected ':'", self.span()));
        }
        Err(self.invalid())
    }

    /// `block: NEWLINE INDENT statements DEDENT | simple_stmts`
    fn block(&mut self, what: &str, line: u32) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        if !matches!(self.tok(), Tok::Newline) {
            self.simple_stmts(&mut body)?;
            return Ok(body);
        }
        self.bump();
        if !matches!(self.tok(), Tok::Indent) {
            let mut span = self.span();
            if matches!(self.tok(), Tok::Dedent) && !self.dedents_to_eof() {
                // CPython has no column for a DEDENT token and reports 0.
                span.col = 0;
            }
            // CPython shows a single caret here.
            span.end_line = span.line;
            span.end_col = span.col + 1;
            let mut e = self.err(
                format!("expected an indented block after {what} on line {line}"),
                span,
            );
            e.kind = SyntaxErrorKind::IndentationError;
            return Err(e);
        }
        self.bump();
        self.enter()?;
        loop {
            match self.tok() {
                Tok::Dedent => {
                    self.bump();
                    break;
                }
                Tok::EndMarker | Tok::Error => break,
                Tok::Newline => {
                    self.bump();
                }
                _ => self.statement(&mut body)?,
            }
        }
        self.leave();
        Ok(body)
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump();
        let kw = if self.prev_is_kw("elif") {
            "elif"
        } else {
            "if"
        };
        let test = self.named_expression()?;
        self.expect_colon()?;
        let body = self.block(&format!("'{kw}' statement"), start.line)?;
        let orelse = if self.at_kw("elif") {
            vec![self.if_stmt()?]
        } else if self.at_kw("else") {
            self.else_block()?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::If { test, body, orelse },
            span: self.span_from(start),
        })
    }

    fn prev_is_kw(&self, kw: &str) -> bool {
        self.pos > 0
            && matches!(self.tokens.get(self.pos - 1).map(|t| &t.tok), Some(Tok::Keyword(k)) if *k == kw)
    }

    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        let line = self.bump().line;
        self.expect_colon()?;
        self.block("'else' statement", line)
    }

    fn while_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump();
        let test = self.named_expression()?;
        self.expect_colon()?;
        self.enter_loop();
        let body = self.block("'while' statement", start.line);
        self.leave_loop();
        let body = body?;
        let orelse = if self.at_kw("else") {
            self.else_block()?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::While { test, body, orelse },
            span: self.span_from(start),
        })
    }

    fn for_stmt(&mut self, start: Span, is_async: bool) -> PResult<Stmt> {
        let line = self.bump().line;
        let target = self.star_targets()?;
        if !self.eat_kw("in") {
            self.check_target(&target, crate::targets::TargetKind::For)?;
            return Err(self.invalid());
        }
        self.check_target(&target, crate::targets::TargetKind::For)?;
        self.check_starred_target(&target);
        let iter = self.star_expressions()?;
        self.expect_colon()?;
        self.enter_loop();
        let body = self.block("'for' statement", line);
        self.leave_loop();
        let body = body?;
        let orelse = if self.at_kw("else") {
            self.else_block()?
        } else {
            Vec::new()
        };
        let span = self.span_from(start);
        if is_async {
            self.check_async_statement("async for", span);
        }
        Ok(Stmt {
            kind: StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            },
            span,
        })
    }

    fn try_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump();
        self.expect_colon()?;
        let body = self.block("'try' statement", start.line)?;
        let mut handlers = Vec::new();
        while self.at_kw("except") {
            let hstart = self.bump();
            if self.at_op("*") {
                return Err(self.err("'except*' is not supported by Interleave", self.span()));
            }
            let (typ, name) = if self.at_op(":") {
                (None, None)
            } else {
                let typ = self.expression()?;
                if self.at_op(",") {
                    let mut span = typ.span;
                    while self.eat_op(",") {
                        match self.expression() {
                            Ok(e) => {
                                span = Span {
                                    end_line: e.span.end_line,
                                    end_col: e.span.end_col,
                                    ..span
                                }
                            }
                            Err(_) => break,
                        }
                    }
                    return Err(self.err("multiple exception types must be parenthesized", span));
                }
                let name = if self.eat_kw("as") {
                    Some(self.expect_name()?.0)
                } else {
                    None
                };
                (Some(typ), name)
            };
            self.expect_colon()?;
            let hbody = self.block("'except' statement", hstart.line)?;
            handlers.push(ExceptHandler {
                typ,
                name,
                body: hbody,
                span: self.span_from(hstart),
            });
        }
        let orelse = if self.at_kw("else") && !handlers.is_empty() {
            self.else_block()?
        } else {
            Vec::new()
        };
        let finalbody = if self.at_kw("finally") {
            let line = self.bump().line;
            self.expect_colon()?;
            self.block("'finally' statement", line)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(self.err("expected 'except' or 'finally' block", self.span()));
        }
        Ok(Stmt {
            kind: StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
            span: self.span_from(start),
        })
    }

    fn with_stmt(&mut self, start: Span, is_async: bool) -> PResult<Stmt> {
        let line = self.bump().line;
        // `with (a as b, c as d):` needs a look at what follows the closing
        // bracket: `with (a, b):` is one item, a tuple.
        let mut items = None;
        if self.at_op("(") {
            let save = self.pos;
            if let Ok(parsed) = self.parenthesized_with_items() {
                if self.at_op(":") {
                    items = Some(parsed);
                }
            }
            if items.is_none() {
                self.pos = save;
                self.bracket_depth = 0;
            }
        }
        let items = match items {
            Some(items) => items,
            None => {
                let mut items = vec![self.with_item()?];
                while self.eat_op(",") {
                    items.push(self.with_item()?);
                }
                items
            }
        };
        self.expect_colon()?;
        let body = self.block("'with' statement", line)?;
        let span = self.span_from(start);
        if is_async {
            self.check_async_statement("async with", span);
        }
        Ok(Stmt {
            kind: StmtKind::With {
                items,
                body,
                is_async,
            },
            span,
        })
    }

    fn parenthesized_with_items(&mut self) -> PResult<Vec<WithItem>> {
        self.bump();
        self.bracket_depth += 1;
        let mut items = vec![self.with_item()?];
        while self.eat_op(",") {
            if self.at_op(")") {
                break;
            }
            items.push(self.with_item()?);
        }
        self.bracket_depth -= 1;
        self.expect_op(")")?;
        Ok(items)
    }

    fn with_item(&mut self) -> PResult<WithItem> {
        let context = self.expression()?;
        let target = if self.eat_kw("as") {
            let t = self.star_target()?;
            self.check_target(&t, crate::targets::TargetKind::Assign)?;
            Some(t)
        } else {
            None
        };
        Ok(WithItem { context, target })
    }

    fn async_stmt(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = self.span();
        let start = decorators.first().map_or(start, |_| start);
        self.bump();
        match self.tok() {
            Tok::Keyword("def") => self.function_def(start, decorators, true),
            Tok::Keyword("for") if decorators.is_empty() => self.for_stmt(start, true),
            Tok::Keyword("with") if decorators.is_empty() => self.with_stmt(start, true),
            _ => Err(self.invalid()),
        }
    }

    fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.at_op("@") {
            self.bump();
            decorators.push(self.named_expression()?);
            if !matches!(self.tok(), Tok::Newline) {
                return Err(self.invalid());
            }
            self.bump();
        }
        let start = self.span();
        match self.tok() {
            Tok::Keyword("def") => self.function_def(start, decorators, false),
            Tok::Keyword("class") => self.class_def(start, decorators),
            Tok::Keyword("async") => self.async_stmt(decorators),
            _ => Err(self.invalid()),
        }
    }

    fn function_def(
        &mut self,
        start: Span,
        decorators: Vec<Expr>,
        is_async: bool,
    ) -> PResult<Stmt> {
        let line = self.bump().line;
        let (name, _) = self.expect_name()?;
        if !self.at_op("(") {
            return Err(self.err("expected '('", self.span()));
        }
        self.bump();
        self.bracket_depth += 1;
        let params = self.params(true)?;
        self.bracket_depth -= 1;
        self.expect_op(")")?;
        let returns = if self.eat_op("->") {
            Some(self.expression()?)
        } else {
            None
        };
        if !self.at_op(":") {
            return Err(self.err("expected ':'", self.span()));
        }
        self.bump();
        self.push_scope(ScopeKind::Function { is_async });
        let body = self.block("function definition", line);
        self.pop_scope();
        let body = body?;
        let span = self.span_from(start);
        let def = FunctionDef {
            name,
            params,
            body,
            decorators,
            returns,
            is_async,
            span,
        };
        Ok(Stmt {
            kind: StmtKind::FunctionDef(Arc::new(def)),
            span,
        })
    }

    fn class_def(&mut self, start: Span, decorators: Vec<Expr>) -> PResult<Stmt> {
        let line = self.bump().line;
        let (name, _) = self.expect_name()?;
        let (bases, keywords) = if self.at_op("(") {
            self.bump();
            self.call_arguments(false)?
        } else {
            (Vec::new(), Vec::new())
        };
        self.expect_colon()?;
        self.push_scope(ScopeKind::Class);
        let body = self.block("class definition", line);
        self.pop_scope();
        let body = body?;
        let span = self.span_from(start);
        let def = ClassDef {
            name,
            bases,
            keywords,
            body,
            decorators,
            span,
        };
        Ok(Stmt {
            kind: StmtKind::ClassDef(Arc::new(def)),
            span,
        })
    }
}

pub(crate) fn aug_op(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mult,
        "@=" => BinOp::MatMult,
        "/=" => BinOp::Div,
        "//=" => BinOp::FloorDiv,
        "%=" => BinOp::Mod,
        "**=" => BinOp::Pow,
        "<<=" => BinOp::LShift,
        ">>=" => BinOp::RShift,
        "|=" => BinOp::BitOr,
        "^=" => BinOp::BitXor,
        "&=" => BinOp::BitAnd,
        _ => return None,
    })
}
