//! `async with` and `async for`, rewritten into the statements they mean.
//!
//! PEP 492 defines both statements by the code they stand for, with an
//! `await` at each place where the manager or the iterator may wait. The
//! compiler already knows every piece of that code, so instead of new
//! bytecode these statements are rewritten before they are compiled:
//!
//! ```text
//! async with EXPR as TARGET:        .amgr = EXPR
//!     BODY                          .aexit = .amgr.__aexit__
//!                                   TARGET = await .amgr.__aenter__()
//!                                   .aok = True
//!                                   try:
//!                                       try:
//!                                           BODY
//!                                       except BaseException as .aexc:
//!                                           .aok = False
//!                                           if not await .aexit(.aexc.__class__, .aexc, None):
//!                                               raise
//!                                   finally:
//!                                       if .aok:
//!                                           await .aexit(None, None, None)
//!
//! async for TARGET in ITER:         .ait = ITER.__aiter__()
//!     BODY                          .amore = True
//! else:                             while .amore:
//!     ORELSE                            try:
//!                                           .aval = await .ait.__anext__()
//!                                       except StopAsyncIteration:
//!                                           .amore = False
//!                                       else:
//!                                           TARGET = .aval
//!                                           BODY
//!                                   else:
//!                                       ORELSE
//! ```
//!
//! The hidden names begin with a dot, so no program can name them, and
//! each statement numbers its own. A `return`, `break` or `continue` in the
//! body goes through the `finally` as in the real statement. The rewrite
//! runs before the scope analysis, which sees the hidden names as the
//! function's own locals (these statements are only allowed inside an
//! `async def`). The traceback passed to `__aexit__` is None: the engine
//! has no traceback objects.

use std::sync::Arc;

use crate::syntax::ast::*;

/// Whether `module` has an `async with` or `async for` anywhere (most
/// programs have none and are compiled as they are).
pub fn has_async_statements(module: &Module) -> bool {
    any_statement(&module.body, true, &|s| matches!(s.kind, StmtKind::With { is_async: true, .. } | StmtKind::For { is_async: true, .. }))
}

/// Whether `pred` holds for a statement of `body` or of the blocks inside
/// it (`if`, `while`, `for`, `with`, `try`), and with `definitions` also
/// inside the functions and classes it defines.
pub fn any_statement(body: &[Stmt], definitions: bool, pred: &dyn Fn(&Stmt) -> bool) -> bool {
    let any = |b: &[Stmt]| any_statement(b, definitions, pred);
    body.iter().any(|s| {
        pred(s)
            || match &s.kind {
                StmtKind::FunctionDef(f) => definitions && any(&f.body),
                StmtKind::ClassDef(c) => definitions && any(&c.body),
                StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } | StmtKind::For { body, orelse, .. } => {
                    any(body) || any(orelse)
                }
                StmtKind::With { body, .. } => any(body),
                StmtKind::Try { body, handlers, orelse, finalbody } => {
                    any(body) || handlers.iter().any(|h| any(&h.body)) || any(orelse) || any(finalbody)
                }
                _ => false,
            }
    })
}

/// `module` with every `async with` and `async for` rewritten.
pub fn async_statements(mut module: Module) -> Module {
    let mut n = 0;
    module.body = block(std::mem::take(&mut module.body), &mut n);
    module
}

fn block(body: Vec<Stmt>, n: &mut u32) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(body.len());
    for s in body {
        stmt(s, n, &mut out);
    }
    out
}

fn stmt(s: Stmt, n: &mut u32, out: &mut Vec<Stmt>) {
    let span = s.span;
    let kind = match s.kind {
        StmtKind::With { items, body, is_async: true } => {
            let body = block(body, n);
            out.extend(async_with(items, body, span, n));
            return;
        }
        StmtKind::For { target, iter, body, orelse, is_async: true } => {
            let (body, orelse) = (block(body, n), block(orelse, n));
            out.extend(async_for(target, iter, body, orelse, span, n));
            return;
        }
        StmtKind::FunctionDef(mut f) => {
            let def = Arc::make_mut(&mut f);
            def.body = block(std::mem::take(&mut def.body), n);
            StmtKind::FunctionDef(f)
        }
        StmtKind::ClassDef(mut c) => {
            let def = Arc::make_mut(&mut c);
            def.body = block(std::mem::take(&mut def.body), n);
            StmtKind::ClassDef(c)
        }
        StmtKind::If { test, body, orelse } => StmtKind::If { test, body: block(body, n), orelse: block(orelse, n) },
        StmtKind::While { test, body, orelse } => StmtKind::While { test, body: block(body, n), orelse: block(orelse, n) },
        StmtKind::For { target, iter, body, orelse, is_async } => {
            StmtKind::For { target, iter, body: block(body, n), orelse: block(orelse, n), is_async }
        }
        StmtKind::With { items, body, is_async } => StmtKind::With { items, body: block(body, n), is_async },
        StmtKind::Try { body, handlers, orelse, finalbody } => StmtKind::Try {
            body: block(body, n),
            handlers: handlers.into_iter().map(|h| ExceptHandler { body: block(h.body, n), ..h }).collect(),
            orelse: block(orelse, n),
            finalbody: block(finalbody, n),
        },
        other => other,
    };
    out.push(Stmt { kind, span });
}

/// Builds the rewritten statements at one span (the original
/// statement's, so that errors and tracebacks point at it).
struct At(Span);

impl At {
    fn expr(&self, kind: ExprKind) -> Expr {
        Expr { kind, span: self.0 }
    }
    fn stmt(&self, kind: StmtKind) -> Stmt {
        Stmt { kind, span: self.0 }
    }
    fn name(&self, n: &str) -> Expr {
        self.expr(ExprKind::Name(Arc::from(n)))
    }
    fn constant(&self, c: Constant) -> Expr {
        self.expr(ExprKind::Constant(c))
    }
    fn attr(&self, value: Expr, attr: &str) -> Expr {
        self.expr(ExprKind::Attribute { value: Box::new(value), attr: Arc::from(attr) })
    }
    fn call(&self, func: Expr, args: Vec<Expr>) -> Expr {
        self.expr(ExprKind::Call { func: Box::new(func), args, keywords: Vec::new() })
    }
    fn awaited(&self, e: Expr) -> Expr {
        self.expr(ExprKind::Await(Box::new(e)))
    }
    fn assign(&self, target: Expr, value: Expr) -> Stmt {
        self.stmt(StmtKind::Assign { targets: vec![target], value })
    }
    fn handler(&self, typ: &str, name: Option<&str>, body: Vec<Stmt>) -> ExceptHandler {
        ExceptHandler { typ: Some(self.name(typ)), name: name.map(Arc::from), body, span: self.0 }
    }
}

fn async_with(items: Vec<WithItem>, body: Vec<Stmt>, span: Span, n: &mut u32) -> Vec<Stmt> {
    let at = At(span);
    // Several items nest, the first outermost.
    let mut inner = body;
    let mut items = items;
    while let Some(item) = items.pop() {
        let i = *n;
        *n += 1;
        let (mgr, exit, ok, exc) = (format!(".amgr{i}"), format!(".aexit{i}"), format!(".aok{i}"), format!(".aexc{i}"));
        let enter = at.awaited(at.call(at.attr(at.name(&mgr), "__aenter__"), vec![]));
        let mut out = vec![
            at.assign(at.name(&mgr), item.context),
            at.assign(at.name(&exit), at.attr(at.name(&mgr), "__aexit__")),
            match item.target {
                Some(t) => at.assign(t, enter),
                None => at.stmt(StmtKind::Expr(enter)),
            },
            at.assign(at.name(&ok), at.constant(Constant::True)),
        ];
        let exit_with_exc = at.awaited(at.call(
            at.name(&exit),
            vec![at.attr(at.name(&exc), "__class__"), at.name(&exc), at.constant(Constant::None)],
        ));
        let handler = at.handler(
            "BaseException",
            Some(&exc),
            vec![
                at.assign(at.name(&ok), at.constant(Constant::False)),
                at.stmt(StmtKind::If {
                    test: at.expr(ExprKind::UnaryOp { op: UnaryOp::Not, operand: Box::new(exit_with_exc) }),
                    body: vec![at.stmt(StmtKind::Raise { exc: None, cause: None })],
                    orelse: Vec::new(),
                }),
            ],
        );
        let exit_clean = at.awaited(at.call(at.name(&exit), vec![at.constant(Constant::None); 3]));
        let guarded = at.stmt(StmtKind::Try { body: inner, handlers: vec![handler], orelse: Vec::new(), finalbody: Vec::new() });
        out.push(at.stmt(StmtKind::Try {
            body: vec![guarded],
            handlers: Vec::new(),
            orelse: Vec::new(),
            finalbody: vec![at.stmt(StmtKind::If { test: at.name(&ok), body: vec![at.stmt(StmtKind::Expr(exit_clean))], orelse: Vec::new() })],
        }));
        inner = out;
    }
    inner
}

fn async_for(target: Expr, iter: Expr, body: Vec<Stmt>, orelse: Vec<Stmt>, span: Span, n: &mut u32) -> Vec<Stmt> {
    let at = At(span);
    let i = *n;
    *n += 1;
    let (it, more, val) = (format!(".ait{i}"), format!(".amore{i}"), format!(".aval{i}"));
    let next = at.awaited(at.call(at.attr(at.name(&it), "__anext__"), vec![]));
    let mut then = vec![at.assign(target, at.name(&val))];
    then.extend(body);
    let step = at.stmt(StmtKind::Try {
        body: vec![at.assign(at.name(&val), next)],
        handlers: vec![at.handler("StopAsyncIteration", None, vec![at.assign(at.name(&more), at.constant(Constant::False))])],
        orelse: then,
        finalbody: Vec::new(),
    });
    vec![
        at.assign(at.name(&it), at.call(at.attr(iter, "__aiter__"), vec![])),
        at.assign(at.name(&more), at.constant(Constant::True)),
        at.stmt(StmtKind::While { test: at.name(&more), body: vec![step], orelse }),
    ]
}
