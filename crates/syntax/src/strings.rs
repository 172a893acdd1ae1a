//! String literals: escape sequences, adjacent-literal concatenation and
//! f-strings.
//!
//! The lexer hands over each literal's raw body. Here a run of adjacent
//! literals (`"a" 'b' f"{c}"`) becomes one node: a `Constant::Str`, a
//! `Constant::Bytes`, or, as soon as one of them is an f-string, an
//! `ExprKind::FString` whose literal pieces are merged.
//!
//! F-strings follow Python 3.11, where an f-string is a single token and its
//! replacement fields are found by scanning the text: a field's expression
//! ends at a `!`, `:`, `=` or `}` outside any brackets or nested string, it
//! may not contain a backslash or `#`, and its quotes must differ from the
//! f-string's own. The expression text is then parsed by a fresh parser, the
//! way CPython compiles `(` + text + `)`. Errors inside that expression are
//! shown as CPython 3.11 shows them: against the text `(expr)`.

use std::sync::Arc;

use crate::ast::*;
use crate::lexer::{self, StrToken, Tok};
use crate::parser::{PErr, PResult, Parser};

/// One decoded piece of a literal run.
enum Piece {
    Text(String),
    Bytes(Vec<u8>),
    Parts(Vec<FStringPart>),
}

impl Parser {
    /// A run of adjacent string literals.
    #[inline(never)]
    pub(crate) fn strings(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut toks: Vec<(Box<StrToken>, Span)> = Vec::new();
        while let Tok::Str(s) = self.tok() {
            let s = s.clone();
            let span = self.bump();
            toks.push((s, span));
        }
        let span = self.span_from(start);
        // CPython reports literal errors at the token after the run.
        let after = self.span();
        let at_after = Span {
            line: after.line,
            col: after.col,
            end_line: after.line,
            end_col: after.col + 1,
        };
        let any_bytes = toks.iter().any(|(t, _)| t.bytes);
        let all_bytes = toks.iter().all(|(t, _)| t.bytes);
        if any_bytes && !all_bytes {
            return Err(self.err("cannot mix bytes and nonbytes literals", at_after));
        }
        let mut pieces = Vec::new();
        for (tok, tok_span) in &toks {
            if tok.bytes {
                if !tok.body.is_ascii() {
                    return Err(
                        self.err("bytes can only contain ASCII literal characters", *tok_span)
                    );
                }
                let bytes = decode_bytes(&tok.body, tok.raw).map_err(|m| self.err(m, at_after))?;
                pieces.push(Piece::Bytes(bytes));
            } else if tok.fstring {
                let mut parts = Vec::new();
                let chars: Vec<char> = tok.body.chars().collect();
                let mut i = 0;
                let mut f = FString {
                    tok,
                    tok_span: *tok_span,
                    chars: &chars,
                    at_after,
                    positions: positions(tok),
                };
                self.fstring_parts(&mut f, &mut i, 0, &mut parts)?;
                pieces.push(Piece::Parts(parts));
            } else {
                let text = decode_str(&tok.body, tok.raw).map_err(|m| self.err(m, at_after))?;
                pieces.push(Piece::Text(text));
            }
        }
        if all_bytes {
            let mut out = Vec::new();
            for p in pieces {
                if let Piece::Bytes(b) = p {
                    out.extend(b);
                }
            }
            return Ok(Expr {
                kind: ExprKind::Constant(Constant::Bytes(out.into())),
                span,
            });
        }
        if !toks.iter().any(|(t, _)| t.fstring) {
            let mut out = String::new();
            for p in pieces {
                if let Piece::Text(t) = p {
                    out.push_str(&t);
                }
            }
            return Ok(Expr {
                kind: ExprKind::Constant(Constant::Str(out.into())),
                span,
            });
        }
        let mut parts: Vec<FStringPart> = Vec::new();
        for p in pieces {
            match p {
                Piece::Text(t) => push_literal(&mut parts, &t),
                Piece::Parts(ps) => {
                    for part in ps {
                        match part {
                            FStringPart::Literal(t) => push_literal(&mut parts, &t),
                            other => parts.push(other),
                        }
                    }
                }
                Piece::Bytes(_) => {}
            }
        }
        Ok(Expr {
            kind: ExprKind::FString(parts),
            span,
        })
    }

    /// Parses f-string text from `*i` until its end (level 0) or until the
    /// `}` closing a format spec (level > 0, the `}` is left unconsumed).
    fn fstring_parts(
        &mut self,
        f: &mut FString,
        i: &mut usize,
        level: u32,
        out: &mut Vec<FStringPart>,
    ) -> PResult<()> {
        let chars = f.chars;
        loop {
            // The literal part, decoded one segment at a time (a doubled
            // brace ends a segment).
            let mut seg_start = *i;
            let mut literal = String::new();
            while *i < chars.len() {
                let c = chars[*i];
                if c == '\\'
                    && !f.tok.raw
                    && *i + 1 < chars.len()
                    && !matches!(chars[*i + 1], '{' | '}')
                {
                    // An escape: `\N{...}` keeps its braces.
                    if chars[*i + 1] == 'N' && chars.get(*i + 2) == Some(&'{') {
                        let mut j = *i + 2;
                        while j < chars.len() && chars[j] != '}' {
                            j += 1;
                        }
                        *i = (j + 1).min(chars.len());
                    } else {
                        *i += 2;
                    }
                    continue;
                }
                if c == '{' || c == '}' {
                    if level == 0 {
                        if chars.get(*i + 1) == Some(&c) {
                            // A doubled brace stands for itself.
                            let seg: String = chars[seg_start..*i + 1].iter().collect();
                            literal.push_str(&self.decode_fstring_literal(f, &seg)?);
                            *i += 2;
                            seg_start = *i;
                            continue;
                        }
                        if c == '}' {
                            return Err(self
                                .err("single '}' is not allowed", f.at_after)
                                .fstring());
                        }
                    }
                    break;
                }
                *i += 1;
            }
            let seg: String = chars[seg_start..*i].iter().collect();
            literal.push_str(&self.decode_fstring_literal(f, &seg)?);
            if !literal.is_empty() {
                push_literal(out, &literal);
            }
            if *i >= chars.len() {
                return Ok(());
            }
            if chars[*i] == '}' {
                // The end of a format spec.
                return Ok(());
            }
            // A replacement field.
            self.fstring_field(f, i, level, out)?;
        }
    }

    fn decode_fstring_literal(&self, f: &FString, seg: &str) -> PResult<String> {
        decode_str(seg, f.tok.raw).map_err(|m| self.err(m, f.at_after))
    }

    /// A replacement field starting at the `{` at `*i`.
    fn fstring_field(
        &mut self,
        f: &mut FString,
        i: &mut usize,
        level: u32,
        out: &mut Vec<FStringPart>,
    ) -> PResult<()> {
        let chars = f.chars;
        if level >= 2 {
            return Err(self
                .err("expressions nested too deeply", f.at_after)
                .fstring());
        }
        *i += 1;
        let expr_start = *i;
        let mut brackets: Vec<char> = Vec::new();
        let mut quote: Option<(char, bool)> = None;
        while *i < chars.len() {
            let c = chars[*i];
            if c == '\\' {
                return Err(self.err(
                    "f-string expression part cannot include a backslash",
                    f.at_after,
                ));
            }
            if let Some((q, triple)) = quote {
                if c == q {
                    if !triple {
                        quote = None;
                    } else if chars.get(*i + 1) == Some(&q) && chars.get(*i + 2) == Some(&q) {
                        quote = None;
                        *i += 2;
                    }
                }
                *i += 1;
                continue;
            }
            match c {
                '\'' | '"' => {
                    let triple = chars.get(*i + 1) == Some(&c) && chars.get(*i + 2) == Some(&c);
                    quote = Some((c, triple));
                    if triple {
                        *i += 2;
                    }
                }
                '[' | '(' | '{' => {
                    if brackets.len() >= lexer::MAX_BRACKET_DEPTH {
                        return Err(self
                            .err("too many nested parenthesis", f.at_after)
                            .fstring());
                    }
                    brackets.push(c);
                }
                '#' => {
                    return Err(self.err("f-string expression part cannot include '#'", f.at_after))
                }
                '!' | ':' | '}' | '=' | '<' | '>' if brackets.is_empty() => {
                    let next = chars.get(*i + 1).copied();
                    if next == Some('=') && matches!(c, '!' | '=' | '<' | '>') {
                        *i += 2;
                        continue;
                    }
                    if c == '<' || c == '>' {
                        *i += 1;
                        continue;
                    }
                    break;
                }
                ']' | ')' | '}' => {
                    let Some(open) = brackets.pop() else {
                        return Err(self.err(format!("unmatched '{c}'"), f.at_after).fstring());
                    };
                    let expected = match open {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    };
                    if c != expected {
                        return Err(self
                            .err(format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'"), f.at_after)
                            .fstring());
                    }
                }
                _ => {}
            }
            *i += 1;
        }
        if quote.is_some() {
            return Err(self.err("unterminated string", f.at_after).fstring());
        }
        if let Some(open) = brackets.last() {
            return Err(self
                .err(format!("unmatched '{open}'"), f.at_after)
                .fstring());
        }
        if *i >= chars.len() {
            return Err(self.err("expecting '}'", f.at_after).fstring());
        }
        let expr_text: String = chars[expr_start..*i].iter().collect();
        if expr_text.trim().is_empty() {
            let msg = match chars[*i] {
                c @ ('!' | ':' | '=') => format!("expression required before '{c}'"),
                _ => "empty expression not allowed".to_string(),
            };
            return Err(self.err(msg, f.at_after).fstring());
        }
        let expr = self.fstring_expression(f, &expr_text, expr_start)?;
        let mut debug_text = None;
        if chars[*i] == '=' {
            *i += 1;
            while *i < chars.len() && chars[*i].is_ascii_whitespace() {
                *i += 1;
            }
            if *i >= chars.len() {
                return Err(self.err("expecting '}'", f.at_after).fstring());
            }
            debug_text = Some(chars[expr_start..*i].iter().collect::<String>());
        }
        let mut conversion = None;
        if chars[*i] == '!' {
            *i += 1;
            let Some(&c) = chars.get(*i) else {
                return Err(self.err("expecting '}'", f.at_after).fstring());
            };
            *i += 1;
            if !matches!(c, 's' | 'r' | 'a') {
                return Err(self
                    .err(
                        "invalid conversion character: expected 's', 'r', or 'a'",
                        f.at_after,
                    )
                    .fstring());
            }
            conversion = Some(c);
        }
        let mut format_spec = None;
        if chars.get(*i) == Some(&':') {
            *i += 1;
            if *i >= chars.len() {
                return Err(self.err("expecting '}'", f.at_after).fstring());
            }
            let mut spec = Vec::new();
            self.fstring_parts(f, i, level + 1, &mut spec)?;
            format_spec = Some(spec);
        }
        if chars.get(*i) != Some(&'}') {
            return Err(self.err("expecting '}'", f.at_after).fstring());
        }
        *i += 1;
        if debug_text.is_some() && conversion.is_none() && format_spec.is_none() {
            conversion = Some('r');
        }
        out.push(FStringPart::Expr {
            expr: Box::new(expr),
            conversion,
            format_spec,
            debug_text: debug_text.map(Arc::from),
        });
        Ok(())
    }

    /// Parses a replacement field's expression with its own parser, as
    /// CPython parses `(` + text + `)`.
    fn fstring_expression(&mut self, f: &FString, text: &str, start: usize) -> PResult<Expr> {
        let wrapped = format!("({text})");
        let lexed = lexer::tokenize(&wrapped);
        // Where the text's first character really is.
        let (base_line, base_col0) = f
            .positions
            .get(start)
            .copied()
            .unwrap_or((f.tok_span.line, f.tok_span.col));
        let line_delta = base_line.saturating_sub(1);
        // Line 1 of `wrapped` has the `(` at column 1 and the text from 2.
        let col_delta = base_col0 as i64 + 1 - 2;
        let mut tokens = lexed.tokens;
        for t in &mut tokens {
            shift(&mut t.span, line_delta, col_delta);
        }
        let mut sub = Parser::new(tokens, lexed.error);
        sub.in_fstring = true;
        sub.depth = self.depth;
        sub.stack_base = self.stack_base;
        let result = sub.star_expressions().and_then(|e| {
            if matches!(sub.tok(), Tok::Newline | Tok::EndMarker) {
                Ok(e)
            } else {
                Err(sub.invalid())
            }
        });
        match result {
            Ok(e) => Ok(e),
            Err(e) => {
                let mut e = sub.finish_error(e);
                if !e.msg.starts_with("f-string") {
                    e.msg = format!("f-string: {}", e.msg);
                }
                // Lexer errors carry unshifted positions; grammar errors
                // shifted ones. Bring both back to the `(expr)` text.
                let from_lexer = sub
                    .lex_error
                    .as_ref()
                    .is_some_and(|le| le.msg == e.msg || format!("f-string: {}", le.msg) == e.msg);
                if !from_lexer {
                    unshift(&mut e.span, line_delta, col_delta);
                }
                let rel_line = e.span.line.max(1);
                e.source_line = wrapped
                    .split('\n')
                    .nth(rel_line as usize - 1)
                    .map(str::to_string);
                e.span.line = rel_line + line_delta;
                e.span.end_line = e.span.line;
                Err(e)
            }
        }
    }
}

/// Per-character (line, 0-based column) positions of a literal's body.
fn positions(tok: &StrToken) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(tok.body.len());
    let (mut line, mut col) = (tok.body_line, tok.body_col);
    for c in tok.body.chars() {
        out.push((line, col));
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    out
}

fn shift(span: &mut Span, line_delta: u32, col_delta: i64) {
    if span.line == 1 {
        span.col = (span.col as i64 + col_delta).max(1) as u32;
    }
    if span.end_line == 1 {
        span.end_col = (span.end_col as i64 + col_delta).max(1) as u32;
    }
    span.line += line_delta;
    span.end_line += line_delta;
}

fn unshift(span: &mut Span, line_delta: u32, col_delta: i64) {
    span.line = span.line.saturating_sub(line_delta).max(1);
    span.end_line = span.end_line.saturating_sub(line_delta).max(1);
    if span.line == 1 {
        span.col = (span.col as i64 - col_delta).max(1) as u32;
    }
    if span.end_line == 1 {
        span.end_col = (span.end_col as i64 - col_delta).max(1) as u32;
    }
}

/// State shared while scanning one f-string literal.
struct FString<'a> {
    tok: &'a StrToken,
    tok_span: Span,
    chars: &'a [char],
    /// Where CPython reports f-string structure errors: the next token.
    at_after: Span,
    positions: Vec<(u32, u32)>,
}

impl PErr {
    /// Marks a message as an f-string error ("f-string: ...").
    fn fstring(mut self) -> PErr {
        if !self.msg.starts_with("f-string") {
            self.msg = format!("f-string: {}", self.msg);
        }
        self
    }
}

fn push_literal(parts: &mut Vec<FStringPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(FStringPart::Literal(prev)) = parts.last_mut() {
        let mut joined = String::with_capacity(prev.len() + text.len());
        joined.push_str(prev);
        joined.push_str(text);
        *prev = joined.into();
        return;
    }
    parts.push(FStringPart::Literal(text.into()));
}

/// CPython counts escape positions in the literal after replacing each
/// non-ASCII character by a 10-byte `\UXXXXXXXX` escape.
fn cpython_position(chars: &[char], index: usize) -> usize {
    chars[..index.min(chars.len())]
        .iter()
        .map(|c| if c.is_ascii() { 1 } else { 10 })
        .sum()
}

fn hex_value(chars: &[char], at: usize, count: usize) -> Option<u32> {
    let mut v = 0u32;
    for k in 0..count {
        let d = chars.get(at + k)?.to_digit(16)?;
        v = v * 16 + d;
    }
    Some(v)
}

/// Decodes the escapes of a `str` literal body.
pub(crate) fn decode_str(body: &str, raw: bool) -> Result<String, String> {
    if raw || !body.contains('\\') {
        return Ok(body.to_string());
    }
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    let unicode_error = |start: usize, end: usize, what: &str| {
        format!(
            "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: {what}",
            cpython_position(&chars, start),
            cpython_position(&chars, end).saturating_sub(1)
        )
    };
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(&e) = chars.get(i + 1) else {
            return Err(format!(
                "(unicode error) 'unicodeescape' codec can't decode byte 0x5c in position {}: \\ at end of string",
                cpython_position(&chars, i)
            ));
        };
        let start = i;
        i += 2;
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e as u32 - '0' as u32;
                for _ in 0..2 {
                    match chars.get(i) {
                        Some(&d @ '0'..='7') => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let (count, what) = match e {
                    'x' => (2, "truncated \\xXX escape"),
                    'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let Some(v) = hex_value(&chars, i, count) else {
                    let mut end = i;
                    while end < chars.len() && end < i + count && chars[end].is_ascii_hexdigit() {
                        end += 1;
                    }
                    return Err(unicode_error(start, end, what));
                };
                i += count;
                match char::from_u32(v) {
                    Some(ch) => out.push(ch),
                    None => return Err(unicode_error(start, i, "illegal Unicode character")),
                }
            }
            'N' => {
                return Err(
                    "\\N{...} escapes (Unicode character names) are not supported by Interleave; write the character itself or use \\u"
                        .to_string(),
                );
            }
            other => {
                // An unknown escape keeps its backslash (CPython warns).
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// Decodes the escapes of a `bytes` literal body (already checked ASCII).
pub(crate) fn decode_bytes(body: &str, raw: bool) -> Result<Vec<u8>, String> {
    let chars: Vec<char> = body.chars().collect();
    if raw || !body.contains('\\') {
        return Ok(chars.iter().map(|&c| c as u32 as u8).collect());
    }
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' {
            out.push(c as u32 as u8);
            i += 1;
            continue;
        }
        let Some(&e) = chars.get(i + 1) else {
            return Err("(value error) Trailing \\ in string".to_string());
        };
        let start = i;
        i += 2;
        match e {
            '\n' => {}
            '\\' => out.push(b'\\'),
            '\'' => out.push(b'\''),
            '"' => out.push(b'"'),
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(11),
            '0'..='7' => {
                let mut v = e as u32 - '0' as u32;
                for _ in 0..2 {
                    match chars.get(i) {
                        Some(&d @ '0'..='7') => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            'x' => match hex_value(&chars, i, 2) {
                Some(v) => {
                    out.push(v as u8);
                    i += 2;
                }
                None => {
                    return Err(format!(
                        "(value error) invalid \\x escape at position {start}"
                    ))
                }
            },
            other => {
                out.push(b'\\');
                out.push(other as u32 as u8);
            }
        }
    }
    Ok(out)
}
