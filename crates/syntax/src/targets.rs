//! Checks that the left-hand side of an assignment (and the targets of `for`,
//! `with ... as`, comprehensions and `del`) can actually be assigned to.
//!
//! The parser reads targets as ordinary expressions, because it cannot know
//! that `a, b` is a target until it sees the `=` after it. This module then
//! walks the expression and names the first part that is not a name, an
//! attribute, a subscript, or a tuple/list/starred of those, with CPython's
//! wording ("cannot assign to function call").
//!
//! CPython adds a hint when an assignment was probably meant to be a
//! comparison (`f() = 1` → "... here. Maybe you meant '==' instead of '='?").
//! Its rule only looks at the first target of the statement and at what
//! follows the first `=`; [`Parser::check_assign_targets`] reproduces it.

use crate::ast::*;
use crate::lexer::Tok;
use crate::parser::{PErr, PResult, Parser};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetKind {
    Assign,
    For,
    Del,
}

/// The words CPython uses for an expression in error messages
/// (`_PyPegen_get_expr_name`).
pub(crate) fn expr_name(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Starred(_) => "starred",
        ExprKind::Name(_) => "name",
        ExprKind::List(_) => "list",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Call { .. } => "function call",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Await(_) => "await expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::True) => "True",
        ExprKind::Constant(Constant::False) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::Slice { .. } => "slice",
    }
}

/// The first sub-expression that cannot be a target (CPython's
/// `_PyPegen_get_invalid_target`).
pub(crate) fn invalid_target(e: &Expr, kind: TargetKind) -> Option<&Expr> {
    match &e.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            items.iter().find_map(|i| invalid_target(i, kind))
        }
        ExprKind::Starred(inner) => {
            if kind == TargetKind::Del {
                Some(e)
            } else {
                invalid_target(inner, kind)
            }
        }
        ExprKind::Compare { left, ops, .. } => {
            // `for a in b` reaches here only through odd spellings; CPython
            // looks at the left side of an `in` comparison.
            if kind == TargetKind::For {
                if ops.first() == Some(&CmpOp::In) {
                    return invalid_target(left, kind);
                }
                return None;
            }
            Some(e)
        }
        ExprKind::Name(_) | ExprKind::Subscript { .. } | ExprKind::Attribute { .. } => None,
        _ => Some(e),
    }
}

/// Whether `e` is at the `bitwise_or` level or tighter: what CPython's
/// `invalid_named_expression` rule can match.
pub(crate) fn is_bitwise_or_level(e: &Expr) -> bool {
    !matches!(
        &e.kind,
        ExprKind::BoolOp { .. }
            | ExprKind::UnaryOp {
                op: UnaryOp::Not,
                ..
            }
            | ExprKind::Compare { .. }
            | ExprKind::IfExp { .. }
            | ExprKind::Lambda { .. }
            | ExprKind::NamedExpr { .. }
            | ExprKind::Yield(_)
            | ExprKind::YieldFrom(_)
            | ExprKind::Starred(_)
    )
}

impl Parser {
    /// Index of the token starting at `span`'s start.
    fn token_index_at(&self, span: Span) -> Option<usize> {
        self.tokens
            .iter()
            .position(|t| t.span.line == span.line && t.span.col == span.col)
    }

    /// Whether `e` was written inside its own parentheses.
    pub(crate) fn parenthesized(&self, e: &Expr) -> bool {
        if matches!(e.kind, ExprKind::Tuple(_) | ExprKind::GeneratorExp { .. }) {
            // A tuple's span includes its own parentheses: it is
            // parenthesized if the `(` it starts with closes where it ends.
            if let Some(i) = self.token_index_at(e.span) {
                if self.tokens[i].tok == Tok::Op("(") {
                    let mut depth = 0i32;
                    for t in &self.tokens[i..] {
                        match t.tok {
                            Tok::Op("(" | "[" | "{") => depth += 1,
                            Tok::Op(")" | "]" | "}") => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            return t.span.end_line == e.span.end_line
                                && t.span.end_col == e.span.end_col;
                        }
                    }
                }
            }
        }
        match self.token_index_at(e.span) {
            Some(i) if i > 0 => {
                matches!(self.tokens[i - 1].tok, Tok::Op("(")) && {
                    // The matching `)` must come right after `e`.
                    self.tokens
                        .iter()
                        .skip(i)
                        .find(|t| (t.span.line, t.span.col) >= (e.span.end_line, e.span.end_col))
                        .is_some_and(|t| t.tok == Tok::Op(")"))
                }
            }
            _ => false,
        }
    }

    pub(crate) fn check_target(&self, e: &Expr, kind: TargetKind) -> PResult<()> {
        if let Some(bad) = invalid_target(e, kind) {
            let msg = match kind {
                TargetKind::Del => format!("cannot delete {}", expr_name(bad)),
                _ => format!("cannot assign to {}", expr_name(bad)),
            };
            return Err(self.err(msg, bad.span));
        }
        Ok(())
    }

    /// Checks the targets of `t1 = t2 = ... = value`; `first_eq` is the
    /// token index of the first `=`.
    pub(crate) fn check_assign_targets(
        &mut self,
        targets: &[Expr],
        first_eq: usize,
    ) -> PResult<()> {
        let Some(bad) = targets
            .iter()
            .find_map(|t| invalid_target(t, TargetKind::Assign))
        else {
            return Ok(());
        };
        if let Some(t0) = targets.first() {
            if let Some(e) = self.equals_hint(t0, first_eq) {
                return Err(e);
            }
        }
        if matches!(bad.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) {
            return Err(self.err("assignment to yield expression not possible", bad.span));
        }
        Err(self.err(format!("cannot assign to {}", expr_name(bad)), bad.span))
    }

    /// CPython's `invalid_named_expression` applied to the first target of
    /// a failed assignment statement: `x = 1 if y else 2 = 3` was probably
    /// meant to compare. `first_eq` is the token index of the first `=`.
    pub(crate) fn equals_hint(&mut self, t0: &Expr, first_eq: usize) -> Option<PErr> {
        // The hint looks at the last element of the first target.
        let last = match &t0.kind {
            ExprKind::Tuple(items) if !self.parenthesized(t0) => items.last().unwrap_or(t0),
            _ => t0,
        };
        let (save, furthest) = (self.pos, self.furthest);
        self.pos = first_eq + 1;
        let rhs = self.bitwise_or();
        let rhs_ok = rhs.is_ok() && !self.at_op("=") && !self.at_op(":=");
        self.pos = save;
        self.furthest = furthest;
        let rhs = rhs.ok().filter(|_| rhs_ok)?;
        let paren = self.parenthesized(last);
        if matches!(last.kind, ExprKind::Name(_)) && !paren {
            let span = Span {
                line: last.span.line,
                col: last.span.col,
                end_line: rhs.span.end_line,
                end_col: rhs.span.end_col,
            };
            return Some(self.err(
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                span,
            ));
        }
        let excluded = match &last.kind {
            ExprKind::List(_) | ExprKind::GeneratorExp { .. } | ExprKind::Tuple(_) => true,
            ExprKind::Constant(Constant::True | Constant::False | Constant::None) => !paren,
            _ => false,
        };
        if !excluded && (paren || is_bitwise_or_level(last)) {
            let msg = format!(
                "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                expr_name(last)
            );
            return Some(self.err(msg, last.span));
        }
        None
    }
}
