//! Scope analysis: which names are local, global, free (closed over) or
//! cells (closed over *by* an inner function), decided before any bytecode
//! is emitted.
//!
//! Python decides a name's scope statically, per function: a name assigned
//! anywhere in a function body is local to the whole body (hence
//! `UnboundLocalError` when it is read before the assignment), unless a
//! `global` or `nonlocal` statement says otherwise. An inner function that
//! reads an outer function's local makes that local a *cell*: a small heap
//! box shared by both frames, which is how closures see later rebindings.
//!
//! [`analyze_function`] (and [`analyze_lambda`]) walks one scope's body
//! (without compiling it) and records the names it binds, uses and
//! declares, plus the free names of all nested scopes, which is all the
//! compiler needs to pick `LoadFast`, `LoadDeref` or `LoadGlobal` for
//! every occurrence.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::syntax::ast::*;

pub type NameSet = BTreeSet<Arc<str>>;

#[derive(Clone, Debug, Default)]
pub struct ScopeInfo {
    pub bound: NameSet,
    pub globals: NameSet,
    pub nonlocals: NameSet,
    pub uses: NameSet,
    /// Names free in nested scopes (not bound there).
    pub child_free: NameSet,
    pub has_yield: bool,
    /// The body has an `await` of its own (not in a nested function).
    pub has_await: bool,
    /// The body mentions `super` (so methods keep their class at hand).
    pub uses_super: bool,
}

impl ScopeInfo {
    /// Locals of a function scope.
    pub fn locals(&self) -> NameSet {
        self.bound.iter().filter(|n| !self.globals.contains(*n) && !self.nonlocals.contains(*n)).cloned().collect()
    }

    /// Names this scope needs from enclosing scopes.
    pub fn free(&self, is_class: bool) -> NameSet {
        let locals = self.locals();
        let mut out = NameSet::new();
        for n in self.uses.iter().chain(self.child_free.iter()).chain(self.nonlocals.iter()) {
            if self.globals.contains(n) {
                continue;
            }
            if !is_class && locals.contains(n) {
                continue;
            }
            if is_class && locals.contains(n) && !self.child_free.contains(n) {
                continue;
            }
            out.insert(n.clone());
        }
        out
    }

    /// Locals captured by inner scopes.
    pub fn cells(&self) -> NameSet {
        self.locals().intersection(&self.child_free).cloned().collect()
    }
}

/// Analyses a function-like scope given its parameters and body.
pub fn analyze_function(params: &Params, body: &[Stmt]) -> ScopeInfo {
    let mut a = Analyzer::default();
    a.params(params);
    for s in body {
        a.stmt(s);
    }
    a.info
}

pub fn analyze_lambda(params: &Params, body: &Expr) -> ScopeInfo {
    let mut a = Analyzer::default();
    a.params(params);
    a.expr(body);
    a.info
}

pub fn analyze_class(body: &[Stmt]) -> ScopeInfo {
    let mut a = Analyzer::default();
    for s in body {
        a.stmt(s);
    }
    a.info
}

/// A comprehension: its implicit `.0` parameter is the first iterator, which
/// the *enclosing* scope evaluates.
pub fn analyze_comprehension(elts: &[&Expr], generators: &[Comprehension]) -> ScopeInfo {
    let mut a = Analyzer::default();
    a.info.bound.insert(Arc::from(".0"));
    for (i, g) in generators.iter().enumerate() {
        if i > 0 {
            a.expr(&g.iter);
        }
        a.target(&g.target);
        for c in &g.ifs {
            a.expr(c);
        }
    }
    for e in elts {
        a.expr(e);
    }
    a.info
}

#[derive(Default)]
struct Analyzer {
    info: ScopeInfo,
}

impl Analyzer {
    fn params(&mut self, p: &Params) {
        for x in p.args.iter().chain(p.kwonly.iter()) {
            self.info.bound.insert(x.name.clone());
        }
        if let Some(v) = &p.vararg {
            self.info.bound.insert(v.clone());
        }
        if let Some(v) = &p.kwarg {
            self.info.bound.insert(v.clone());
        }
    }

    fn child(&mut self, info: ScopeInfo, is_class: bool) {
        for n in info.free(is_class) {
            self.info.child_free.insert(n);
        }
        if info.uses_super {
            self.info.uses_super = true;
        }
    }

    fn param_defaults(&mut self, p: &Params) {
        for x in p.args.iter().chain(p.kwonly.iter()) {
            if let Some(d) = &x.default {
                self.expr(d);
            }
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { targets, value } => {
                self.expr(value);
                for t in targets {
                    self.target(t);
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value);
                if let ExprKind::Name(n) = &target.kind {
                    self.info.uses.insert(n.clone());
                }
                self.target(target);
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    self.expr(v);
                    self.target(target);
                }
            }
            StmtKind::FunctionDef(f) => {
                for d in &f.decorators {
                    self.expr(d);
                }
                self.param_defaults(&f.params);
                self.info.bound.insert(f.name.clone());
                let inner = analyze_function(&f.params, &f.body);
                self.child(inner, false);
            }
            StmtKind::ClassDef(c) => {
                for d in &c.decorators {
                    self.expr(d);
                }
                for b in &c.bases {
                    self.expr(b);
                }
                for k in &c.keywords {
                    self.expr(&k.value);
                }
                self.info.bound.insert(c.name.clone());
                let inner = analyze_class(&c.body);
                self.child(inner, true);
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                self.expr(test);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::For { target, iter, body, orelse, .. } => {
                self.expr(iter);
                self.target(target);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.stmts(body);
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t);
                    }
                    if let Some(n) = &h.name {
                        self.info.bound.insert(n.clone());
                    }
                    self.stmts(&h.body);
                }
                self.stmts(orelse);
                self.stmts(finalbody);
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e);
                }
                if let Some(c) = cause {
                    self.expr(c);
                }
            }
            StmtKind::With { items, body, .. } => {
                for it in items {
                    self.expr(&it.context);
                    if let Some(t) = &it.target {
                        self.target(t);
                    }
                }
                self.stmts(body);
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test);
                if let Some(m) = msg {
                    self.expr(m);
                }
            }
            StmtKind::Delete(ts) => {
                for t in ts {
                    self.target(t);
                }
            }
            StmtKind::Global(ns) => {
                for n in ns {
                    self.info.globals.insert(n.clone());
                }
            }
            StmtKind::Nonlocal(ns) => {
                for n in ns {
                    self.info.nonlocals.insert(n.clone());
                }
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let bound = match &a.asname {
                        Some(n) => n.clone(),
                        None => Arc::from(a.name.split('.').next().unwrap_or(&a.name)),
                    };
                    self.info.bound.insert(bound);
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    if &*a.name == "*" {
                        continue;
                    }
                    self.info.bound.insert(a.asname.clone().unwrap_or_else(|| a.name.clone()));
                }
            }
        }
    }

    fn target(&mut self, t: &Expr) {
        match &t.kind {
            ExprKind::Name(n) => {
                self.info.bound.insert(n.clone());
            }
            ExprKind::Tuple(es) | ExprKind::List(es) => {
                for e in es {
                    self.target(e);
                }
            }
            ExprKind::Starred(e) => self.target(e),
            _ => self.expr(t),
        }
    }

    fn comprehension(&mut self, elts: &[&Expr], generators: &[Comprehension]) {
        if let Some(g) = generators.first() {
            self.expr(&g.iter);
        }
        let inner = analyze_comprehension(elts, generators);
        // Walrus targets inside a comprehension bind in the enclosing scope;
        // rare enough to ignore here.
        self.child(inner, false);
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                if &**n == "super" {
                    self.info.uses_super = true;
                }
                self.info.uses.insert(n.clone());
            }
            ExprKind::Constant(_) => {}
            ExprKind::FString(parts) => self.fstring(parts),
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand),
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.expr(v);
                }
            }
            ExprKind::Compare { left, comparators, .. } => {
                self.expr(left);
                for c in comparators {
                    self.expr(c);
                }
            }
            ExprKind::Call { func, args, keywords } => {
                self.expr(func);
                for a in args {
                    self.expr(a);
                }
                for k in keywords {
                    self.expr(&k.value);
                }
            }
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => {
                for x in es {
                    self.expr(x);
                }
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => self.comprehension(&[elt], generators),
            ExprKind::DictComp { key, value, generators } => self.comprehension(&[key, value], generators),
            ExprKind::Lambda { params, body } => {
                self.param_defaults(params);
                let inner = analyze_lambda(params, body);
                self.child(inner, false);
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            ExprKind::Starred(x) | ExprKind::Await(x) | ExprKind::YieldFrom(x) => {
                // (`await` makes no generator: an `async def` is a
                // coroutine with or without one, and only `yield` in it
                // would make it an asynchronous generator.)
                if matches!(e.kind, ExprKind::YieldFrom(_)) {
                    self.info.has_yield = true;
                }
                if matches!(e.kind, ExprKind::Await(_)) {
                    self.info.has_await = true;
                }
                self.expr(x)
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value);
                self.target(target);
            }
            ExprKind::Yield(v) => {
                self.info.has_yield = true;
                if let Some(v) = v {
                    self.expr(v);
                }
            }
        }
    }

    fn fstring(&mut self, parts: &[FStringPart]) {
        for p in parts {
            if let FStringPart::Expr { expr, format_spec, .. } = p {
                self.expr(expr);
                if let Some(spec) = format_spec {
                    self.fstring(spec);
                }
            }
        }
    }
}
