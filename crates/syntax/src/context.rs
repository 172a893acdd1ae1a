//! Errors that CPython reports after parsing, when it compiles the tree:
//! `return` outside a function, `break` outside a loop, `await` outside an
//! async function, and so on.
//!
//! They need to know where a statement sits (in which kind of function, in a
//! loop or not), which the parser knows anyway, so they are checked here and
//! the compiler gets trees that are already sound. Because CPython reports
//! every grammar error of a file before any of these, the parser only
//! records the first one of each tier and reports it once the whole file has
//! parsed ([`Parser::deferred_error`]). CPython's symbol-table pass runs
//! before its code generator, so errors found there (the first tier) win
//! over code-generator errors (the second tier) regardless of position.

use crate::ast::{Expr, ExprKind, Span};
use crate::parser::{PErr, Parser};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope {
    pub kind: ScopeKind,
    /// Loops around the current statement within this scope.
    pub loops: u32,
}

/// Which CPython pass would report an error.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    SymbolTable,
    CodeGen,
}

impl Parser {
    pub(crate) fn scope(&self) -> Scope {
        self.scopes.last().copied().unwrap_or(Scope {
            kind: ScopeKind::Module,
            loops: 0,
        })
    }

    pub(crate) fn push_scope(&mut self, kind: ScopeKind) {
        self.scopes.push(Scope { kind, loops: 0 });
    }

    pub(crate) fn pop_scope(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    pub(crate) fn enter_loop(&mut self) {
        if let Some(s) = self.scopes.last_mut() {
            s.loops += 1;
        }
    }

    pub(crate) fn leave_loop(&mut self) {
        if let Some(s) = self.scopes.last_mut() {
            s.loops = s.loops.saturating_sub(1);
        }
    }

    /// Records a post-parse error unless one of its tier came earlier.
    pub(crate) fn defer(&mut self, tier: Tier, msg: &str, span: Span) {
        let slot = match tier {
            Tier::SymbolTable => &mut self.deferred.0,
            Tier::CodeGen => &mut self.deferred.1,
        };
        if slot.is_none() && !self.in_fstring {
            *slot = Some((msg.to_string(), span));
        }
    }

    /// The error to report for a file that parsed, if any.
    pub(crate) fn deferred_error(&mut self) -> Option<PErr> {
        let (msg, span) = self.deferred.0.take().or_else(|| self.deferred.1.take())?;
        Some(self.err(msg, span))
    }

    fn in_async_function(&self) -> bool {
        matches!(self.scope().kind, ScopeKind::Function { is_async: true })
    }

    pub(crate) fn check_return(&mut self, span: Span) {
        if !matches!(self.scope().kind, ScopeKind::Function { .. }) {
            self.defer(Tier::CodeGen, "'return' outside function", span);
        }
    }

    pub(crate) fn check_loop_control(&mut self, is_break: bool, span: Span) {
        if self.scope().loops == 0 {
            let msg = if is_break {
                "'break' outside loop"
            } else {
                "'continue' not properly in loop"
            };
            self.defer(Tier::CodeGen, msg, span);
        }
    }

    pub(crate) fn check_yield(&mut self, is_from: bool, span: Span) {
        match self.scope().kind {
            ScopeKind::Module | ScopeKind::Class => {
                self.defer(Tier::SymbolTable, "'yield' outside function", span)
            }
            ScopeKind::Function { is_async: true } if is_from => {
                self.defer(Tier::CodeGen, "'yield from' inside async function", span)
            }
            _ => {}
        }
    }

    pub(crate) fn check_await(&mut self, span: Span) {
        match self.scope().kind {
            ScopeKind::Module | ScopeKind::Class => {
                self.defer(Tier::SymbolTable, "'await' outside function", span)
            }
            ScopeKind::Function { is_async: true } => {}
            _ => self.defer(Tier::CodeGen, "'await' outside async function", span),
        }
    }

    /// `async for` and `async with` statements.
    pub(crate) fn check_async_statement(&mut self, what: &str, span: Span) {
        if !self.in_async_function() {
            self.defer(
                Tier::CodeGen,
                &format!("'{what}' outside async function"),
                span,
            );
        }
    }

    /// A list, set or dict comprehension with `async for`.
    pub(crate) fn check_async_comprehension(&mut self, span: Span) {
        if !self.in_async_function() {
            self.defer(
                Tier::CodeGen,
                "asynchronous comprehension outside of an asynchronous function",
                span,
            );
        }
    }

    /// `*a = x` and `*a, *b = x` are compile-time errors in CPython.
    pub(crate) fn check_starred_target(&mut self, target: &Expr) {
        match &target.kind {
            ExprKind::Starred(_) => self.defer(
                Tier::CodeGen,
                "starred assignment target must be in a list or tuple",
                target.span,
            ),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let starred: Vec<&Expr> = items
                    .iter()
                    .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                    .collect();
                if starred.len() > 1 {
                    self.defer(
                        Tier::CodeGen,
                        "multiple starred expressions in assignment",
                        target.span,
                    );
                }
                for item in items {
                    if !matches!(item.kind, ExprKind::Starred(_)) {
                        self.check_starred_target(item);
                    }
                }
            }
            _ => {}
        }
    }

    pub(crate) fn check_nonlocal(&mut self, span: Span) {
        if self.scope().kind == ScopeKind::Module {
            self.defer(
                Tier::SymbolTable,
                "nonlocal declaration not allowed at module level",
                span,
            );
        }
    }
}
