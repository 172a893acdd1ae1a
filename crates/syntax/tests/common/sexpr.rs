//! A compact S-expression rendering of syntax trees (`(+ a (* b c))`), used
//! by the tree tests and by `examples/dump.rs`, which `cpython_tree_check.py`
//! compares with the same rendering of CPython's own `ast`.
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};

use interleave_syntax::ast::*;

/// Renders trees the way `cpython_tree_check.py` renders CPython's: floats
/// as their bits, and `{x=}` as the literal text `x=` merged into the
/// surrounding literal (CPython's `ast` has no separate debug text).
pub static CPYTHON_STYLE: AtomicBool = AtomicBool::new(false);

fn cpython_style() -> bool {
    CPYTHON_STYLE.load(Ordering::Relaxed)
}

/// `{x=}` turned into a literal `x=` plus the field, as in CPython's `ast`.
fn merge_debug(ps: &[FStringPart]) -> Vec<FStringPart> {
    let mut out: Vec<FStringPart> = Vec::new();
    let push_lit = |out: &mut Vec<FStringPart>, t: &str| {
        if let Some(FStringPart::Literal(prev)) = out.last_mut() {
            *prev = format!("{prev}{t}").into();
        } else if !t.is_empty() {
            out.push(FStringPart::Literal(t.into()));
        }
    };
    for p in ps {
        match p {
            FStringPart::Literal(t) => push_lit(&mut out, t),
            FStringPart::Expr {
                expr,
                conversion,
                format_spec,
                debug_text,
            } => {
                if let Some(d) = debug_text {
                    push_lit(&mut out, d);
                }
                out.push(FStringPart::Expr {
                    expr: expr.clone(),
                    conversion: *conversion,
                    format_spec: format_spec.as_ref().map(|s| merge_debug(s)),
                    debug_text: None,
                });
            }
        }
    }
    out
}

pub fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mult => "*",
        BinOp::MatMult => "@",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
    }
}

pub fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::NotEq => "!=",
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is-not",
        CmpOp::In => "in",
        CmpOp::NotIn => "not-in",
    }
}

pub fn list(items: &[Expr]) -> String {
    items.iter().map(e).collect::<Vec<_>>().join(" ")
}

pub fn parts(ps: &[FStringPart]) -> String {
    let merged;
    let ps = if cpython_style() {
        merged = merge_debug(ps);
        &merged[..]
    } else {
        ps
    };
    ps.iter()
        .map(|p| match p {
            FStringPart::Literal(s) => format!("{s:?}"),
            FStringPart::Expr {
                expr,
                conversion,
                format_spec,
                debug_text,
            } => {
                let mut out = format!("{{{}", e(expr));
                if let Some(d) = debug_text {
                    out.push_str(&format!(" debug={d:?}"));
                }
                if let Some(c) = conversion {
                    out.push_str(&format!(" !{c}"));
                }
                if let Some(spec) = format_spec {
                    out.push_str(&format!(" :[{}]", parts(spec)));
                }
                out.push('}');
                out
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn comps(gens: &[Comprehension]) -> String {
    gens.iter()
        .map(|g| {
            let mut s = format!("(for {} {}", e(&g.target), e(&g.iter));
            for i in &g.ifs {
                s.push_str(&format!(" (if {})", e(i)));
            }
            s.push(')');
            s
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn params(p: &Params) -> String {
    let mut out = Vec::new();
    for (i, a) in p.args.iter().enumerate() {
        if i == p.posonly && p.posonly > 0 {
            out.push("/".to_string());
        }
        out.push(match &a.default {
            Some(d) => format!("{}={}", a.name, e(d)),
            None => a.name.to_string(),
        });
    }
    if p.posonly == p.args.len() && p.posonly > 0 {
        out.push("/".to_string());
    }
    if let Some(v) = &p.vararg {
        out.push(format!("*{v}"));
    } else if !p.kwonly.is_empty() {
        out.push("*".to_string());
    }
    for a in &p.kwonly {
        out.push(match &a.default {
            Some(d) => format!("{}={}", a.name, e(d)),
            None => a.name.to_string(),
        });
    }
    if let Some(k) = &p.kwarg {
        out.push(format!("**{k}"));
    }
    format!("[{}]", out.join(" "))
}

/// An expression as an S-expression.
pub fn e(x: &Expr) -> String {
    match &x.kind {
        ExprKind::Name(n) => n.to_string(),
        ExprKind::Constant(c) => match c {
            Constant::None => "None".into(),
            Constant::True => "True".into(),
            Constant::False => "False".into(),
            Constant::Ellipsis => "...".into(),
            Constant::Int(i) => i.to_string(),
            Constant::BigInt(b) => format!("big:{b}"),
            Constant::Float(f) if cpython_style() => format!("float:{}", f.to_bits()),
            Constant::Float(f) => format!("{f:?}"),
            Constant::Str(s) => format!("{s:?}"),
            Constant::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        },
        ExprKind::FString(ps) => format!("(f {})", parts(ps)),
        ExprKind::BinOp { left, op, right } => format!("({} {} {})", binop(*op), e(left), e(right)),
        ExprKind::UnaryOp { op, operand } => {
            let o = match op {
                UnaryOp::Not => "not",
                UnaryOp::Invert => "~",
                UnaryOp::UAdd => "+",
                UnaryOp::USub => "-",
            };
            format!("({o} {})", e(operand))
        }
        ExprKind::BoolOp { op, values } => {
            format!(
                "({} {})",
                if *op == BoolOp::And { "and" } else { "or" },
                list(values)
            )
        }
        ExprKind::Compare {
            left,
            ops,
            comparators,
        } => {
            let mut s = format!("(cmp {}", e(left));
            for (o, c) in ops.iter().zip(comparators) {
                s.push_str(&format!(" {} {}", cmpop(*o), e(c)));
            }
            s.push(')');
            s
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            let mut s = format!("(call {}", e(func));
            for a in args {
                s.push(' ');
                s.push_str(&e(a));
            }
            for k in keywords {
                match &k.name {
                    Some(n) => s.push_str(&format!(" {n}={}", e(&k.value))),
                    None => s.push_str(&format!(" **{}", e(&k.value))),
                }
            }
            s.push(')');
            s
        }
        ExprKind::Attribute { value, attr } => format!("(. {} {attr})", e(value)),
        ExprKind::Subscript { value, index } => format!("([] {} {})", e(value), e(index)),
        ExprKind::Slice { lower, upper, step } => {
            let o = |x: &Option<Box<Expr>>| x.as_ref().map_or("_".to_string(), |x| e(x));
            format!("(slice {} {} {})", o(lower), o(upper), o(step))
        }
        ExprKind::List(items) => format!("(list {})", list(items)),
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::Set(items) => format!("(set {})", list(items)),
        ExprKind::Dict(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|(k, v)| match k {
                    Some(k) => format!("{}:{}", e(k), e(v)),
                    None => format!("**{}", e(v)),
                })
                .collect();
            format!("(dict {})", inner.join(" "))
        }
        ExprKind::ListComp { elt, generators } => {
            format!("(listcomp {} {})", e(elt), comps(generators))
        }
        ExprKind::SetComp { elt, generators } => {
            format!("(setcomp {} {})", e(elt), comps(generators))
        }
        ExprKind::GeneratorExp { elt, generators } => {
            format!("(genexp {} {})", e(elt), comps(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            format!("(dictcomp {}:{} {})", e(key), e(value), comps(generators))
        }
        ExprKind::Lambda { params: p, body } => format!("(lambda {} {})", params(p), e(body)),
        ExprKind::IfExp { test, body, orelse } => {
            format!("(if {} {} {})", e(test), e(body), e(orelse))
        }
        ExprKind::Starred(x) => format!("(* {})", e(x)),
        ExprKind::NamedExpr { target, value } => format!("(:= {} {})", e(target), e(value)),
        ExprKind::Await(x) => format!("(await {})", e(x)),
        ExprKind::Yield(x) => match x {
            Some(x) => format!("(yield {})", e(x)),
            None => "(yield)".into(),
        },
        ExprKind::YieldFrom(x) => format!("(yield-from {})", e(x)),
    }
}

pub fn body(stmts: &[Stmt]) -> String {
    stmts.iter().map(s).collect::<Vec<_>>().join(" ")
}

/// A statement as an S-expression (compound statements abbreviated).
pub fn s(x: &Stmt) -> String {
    match &x.kind {
        StmtKind::Expr(v) => e(v),
        StmtKind::Assign { targets, value } => format!("(= {} {})", list(targets), e(value)),
        StmtKind::AugAssign { target, op, value } => {
            format!("({}= {} {})", binop(*op), e(target), e(value))
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => match value {
            Some(v) => format!("(: {} {} {})", e(target), e(annotation), e(v)),
            None => format!("(: {} {})", e(target), e(annotation)),
        },
        StmtKind::FunctionDef(f) => {
            let decos = f
                .decorators
                .iter()
                .map(|d| format!("@{} ", e(d)))
                .collect::<String>();
            let a = if f.is_async { "async " } else { "" };
            format!(
                "({decos}{a}def {} {} {})",
                f.name,
                params(&f.params),
                body(&f.body)
            )
        }
        StmtKind::ClassDef(c) => {
            let decos = c
                .decorators
                .iter()
                .map(|d| format!("@{} ", e(d)))
                .collect::<String>();
            let kws = c
                .keywords
                .iter()
                .map(|k| format!(" {}={}", k.name.as_deref().unwrap_or("**"), e(&k.value)))
                .collect::<String>();
            format!(
                "({decos}class {} [{}{kws}] {})",
                c.name,
                list(&c.bases),
                body(&c.body)
            )
        }
        StmtKind::Return(v) => match v {
            Some(v) => format!("(return {})", e(v)),
            None => "(return)".into(),
        },
        StmtKind::If {
            test,
            body: b,
            orelse,
        } => format!("(if {} [{}] [{}])", e(test), body(b), body(orelse)),
        StmtKind::While {
            test,
            body: b,
            orelse,
        } => format!("(while {} [{}] [{}])", e(test), body(b), body(orelse)),
        StmtKind::For {
            target,
            iter,
            body: b,
            orelse,
            is_async,
        } => format!(
            "({}for {} {} [{}] [{}])",
            if *is_async { "async " } else { "" },
            e(target),
            e(iter),
            body(b),
            body(orelse)
        ),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Pass => "pass".into(),
        StmtKind::Try {
            body: b,
            handlers,
            orelse,
            finalbody,
        } => {
            let hs = handlers
                .iter()
                .map(|h| {
                    format!(
                        "(except {} {} [{}])",
                        h.typ.as_ref().map_or("_".to_string(), e),
                        h.name.as_deref().unwrap_or("_"),
                        body(&h.body)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            format!(
                "(try [{}] {hs} [{}] [{}])",
                body(b),
                body(orelse),
                body(finalbody)
            )
        }
        StmtKind::Raise { exc, cause } => format!(
            "(raise {} {})",
            exc.as_ref().map_or("_".to_string(), e),
            cause.as_ref().map_or("_".to_string(), e)
        ),
        StmtKind::With {
            items,
            body: b,
            is_async,
        } => {
            let its = items
                .iter()
                .map(|i| match &i.target {
                    Some(t) => format!("{} as {}", e(&i.context), e(t)),
                    None => e(&i.context),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "({}with {its} [{}])",
                if *is_async { "async " } else { "" },
                body(b)
            )
        }
        StmtKind::Assert { test, msg } => format!(
            "(assert {} {})",
            e(test),
            msg.as_ref().map_or("_".to_string(), e)
        ),
        StmtKind::Delete(t) => format!("(del {})", list(t)),
        StmtKind::Global(n) => format!("(global {})", n.join(" ")),
        StmtKind::Nonlocal(n) => format!("(nonlocal {})", n.join(" ")),
        StmtKind::Import(a) => format!("(import {})", aliases(a)),
        StmtKind::ImportFrom {
            module,
            names,
            level,
        } => {
            format!(
                "(from {}{} {})",
                ".".repeat(*level as usize),
                module.as_deref().unwrap_or(""),
                aliases(names)
            )
        }
    }
}

pub fn aliases(a: &[Alias]) -> String {
    a.iter()
        .map(|a| match &a.asname {
            Some(n) => format!("{} as {n}", a.name),
            None => a.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per statement and expression: `Kind line:col-end_line:end_col`,
/// in no particular order, skipping f-string contents (CPython 3.11 gives
/// those odd positions). `cpython_tree_check.py --spans` compares them with
/// CPython's `lineno`/`col_offset` + 1.
pub fn spans(stmts: &[Stmt]) -> Vec<String> {
    let mut out = Vec::new();
    for st in stmts {
        stmt_spans(st, &mut out);
    }
    out
}

fn fmt_span(kind: &str, s: Span) -> String {
    format!("{kind} {}:{}-{}:{}", s.line, s.col, s.end_line, s.end_col)
}

fn stmt_spans(st: &Stmt, out: &mut Vec<String>) {
    let kind = match &st.kind {
        StmtKind::FunctionDef(f) if f.is_async => "AsyncFunctionDef",
        StmtKind::For { is_async: true, .. } => "AsyncFor",
        StmtKind::With { is_async: true, .. } => "AsyncWith",
        StmtKind::Expr(_) => "Expr",
        StmtKind::Assign { .. } => "Assign",
        StmtKind::AugAssign { .. } => "AugAssign",
        StmtKind::AnnAssign { .. } => "AnnAssign",
        StmtKind::FunctionDef(_) => "FunctionDef",
        StmtKind::ClassDef(_) => "ClassDef",
        StmtKind::Return(_) => "Return",
        StmtKind::If { .. } => "If",
        StmtKind::While { .. } => "While",
        StmtKind::For { .. } => "For",
        StmtKind::Break => "Break",
        StmtKind::Continue => "Continue",
        StmtKind::Pass => "Pass",
        StmtKind::Try { .. } => "Try",
        StmtKind::Raise { .. } => "Raise",
        StmtKind::With { .. } => "With",
        StmtKind::Assert { .. } => "Assert",
        StmtKind::Delete(_) => "Delete",
        StmtKind::Global(_) => "Global",
        StmtKind::Nonlocal(_) => "Nonlocal",
        StmtKind::Import(_) => "Import",
        StmtKind::ImportFrom { .. } => "ImportFrom",
    };
    out.push(fmt_span(kind, st.span));
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut bodies: Vec<&[Stmt]> = Vec::new();
    match &st.kind {
        StmtKind::Expr(v) | StmtKind::Return(Some(v)) => exprs.push(v),
        StmtKind::Assign { targets, value } => {
            exprs.extend(targets);
            exprs.push(value);
        }
        StmtKind::AugAssign { target, value, .. } => exprs.extend([target, value]),
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            exprs.extend([target, annotation]);
            exprs.extend(value);
        }
        StmtKind::FunctionDef(f) => {
            exprs.extend(&f.decorators);
            exprs.extend(&f.returns);
            for p in f.params.args.iter().chain(&f.params.kwonly) {
                exprs.extend(&p.default);
                exprs.extend(&p.annotation);
            }
            bodies.push(&f.body);
        }
        StmtKind::ClassDef(c) => {
            exprs.extend(&c.decorators);
            exprs.extend(&c.bases);
            exprs.extend(c.keywords.iter().map(|k| &k.value));
            bodies.push(&c.body);
        }
        StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
            exprs.push(test);
            bodies.extend([&body[..], &orelse[..]]);
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
            ..
        } => {
            exprs.extend([target, iter]);
            bodies.extend([&body[..], &orelse[..]]);
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            bodies.extend([&body[..], &orelse[..], &finalbody[..]]);
            for h in handlers {
                out.push(fmt_span("ExceptHandler", h.span));
                exprs.extend(&h.typ);
                bodies.push(&h.body);
            }
        }
        StmtKind::Raise { exc, cause } => {
            exprs.extend(exc);
            exprs.extend(cause);
        }
        StmtKind::With { items, body, .. } => {
            for i in items {
                exprs.push(&i.context);
                exprs.extend(&i.target);
            }
            bodies.push(body);
        }
        StmtKind::Assert { test, msg } => {
            exprs.push(test);
            exprs.extend(msg);
        }
        StmtKind::Delete(t) => exprs.extend(t),
        _ => {}
    }
    for e in exprs {
        expr_spans(e, out);
    }
    for b in bodies {
        for st in b {
            stmt_spans(st, out);
        }
    }
}

fn expr_spans(x: &Expr, out: &mut Vec<String>) {
    let kind = match &x.kind {
        ExprKind::Name(_) => "Name",
        ExprKind::Constant(_) => "Constant",
        ExprKind::FString(_) => "JoinedStr",
        ExprKind::BinOp { .. } => "BinOp",
        ExprKind::UnaryOp { .. } => "UnaryOp",
        ExprKind::BoolOp { .. } => "BoolOp",
        ExprKind::Compare { .. } => "Compare",
        ExprKind::Call { .. } => "Call",
        ExprKind::Attribute { .. } => "Attribute",
        ExprKind::Subscript { .. } => "Subscript",
        ExprKind::Slice { .. } => "Slice",
        ExprKind::List(_) => "List",
        ExprKind::Tuple(_) => "Tuple",
        ExprKind::Dict(_) => "Dict",
        ExprKind::Set(_) => "Set",
        ExprKind::ListComp { .. } => "ListComp",
        ExprKind::SetComp { .. } => "SetComp",
        ExprKind::DictComp { .. } => "DictComp",
        ExprKind::GeneratorExp { .. } => "GeneratorExp",
        ExprKind::Lambda { .. } => "Lambda",
        ExprKind::IfExp { .. } => "IfExp",
        ExprKind::Starred(_) => "Starred",
        ExprKind::NamedExpr { .. } => "NamedExpr",
        ExprKind::Await(_) => "Await",
        ExprKind::Yield(_) => "Yield",
        ExprKind::YieldFrom(_) => "YieldFrom",
    };
    out.push(fmt_span(kind, x.span));
    let mut kids: Vec<&Expr> = Vec::new();
    fn gens<'a>(gens: &'a [Comprehension], kids: &mut Vec<&'a Expr>) {
        for g in gens {
            kids.extend([&g.target, &g.iter]);
            kids.extend(&g.ifs);
        }
    }
    match &x.kind {
        ExprKind::BinOp { left, right, .. } => kids.extend([&**left, &**right]),
        ExprKind::UnaryOp { operand, .. } => kids.push(operand),
        ExprKind::BoolOp { values, .. } => kids.extend(values),
        ExprKind::Compare {
            left, comparators, ..
        } => {
            kids.push(left);
            kids.extend(comparators);
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            kids.push(func);
            kids.extend(args);
            kids.extend(keywords.iter().map(|k| &k.value));
        }
        ExprKind::Attribute { value, .. } => kids.push(value),
        ExprKind::Subscript { value, index } => kids.extend([&**value, &**index]),
        ExprKind::Slice { lower, upper, step } => {
            for v in [lower, upper, step].into_iter().flatten() {
                kids.push(v);
            }
        }
        ExprKind::List(i) | ExprKind::Tuple(i) | ExprKind::Set(i) => kids.extend(i),
        ExprKind::Dict(items) => {
            for (k, v) in items {
                kids.extend(k);
                kids.push(v);
            }
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => {
            kids.push(elt);
            gens(generators, &mut kids);
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            kids.extend([&**key, &**value]);
            gens(generators, &mut kids);
        }
        ExprKind::Lambda { params, body } => {
            for p in params.args.iter().chain(&params.kwonly) {
                kids.extend(&p.default);
            }
            kids.push(body);
        }
        ExprKind::IfExp { test, body, orelse } => kids.extend([&**test, &**body, &**orelse]),
        ExprKind::Starred(v) | ExprKind::Await(v) | ExprKind::YieldFrom(v) => kids.push(v),
        ExprKind::Yield(Some(v)) => kids.push(v),
        ExprKind::NamedExpr { target, value } => kids.extend([&**target, &**value]),
        _ => {}
    }
    for k in kids {
        expr_spans(k, out);
    }
}
