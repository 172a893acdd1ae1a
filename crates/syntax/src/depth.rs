//! Keeping syntax trees shallow enough for the passes that walk them.
//!
//! The parser recurses for brackets, lambdas and the like, and that recursion
//! is bounded (see `parser::Parser::enter`). Two constructs build deep trees
//! *without* recursing in the parser, though: operator chains
//! (`1 + 1 + ... + 1` is a left-leaning tree as deep as it is long, and
//! `- - - x` a right-leaning one) and trailer chains (`a.b.c.d...`). The
//! compiler, and even dropping the tree, recurse over it, so an absurdly
//! long chain could overflow their stack. This module measures depth without
//! recursion, and takes an over-deep tree apart without recursion too.

use crate::ast::*;

/// The deepest expression tree the parser hands out. CPython itself gives
/// up (with a RecursionError) somewhat beyond this.
pub(crate) const MAX_TREE_DEPTH: usize = 1000;

/// Calls `f` on each direct sub-expression of `e`.
fn for_each_child<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    fn parts<'a>(list: &'a [FStringPart], f: &mut impl FnMut(&'a Expr)) {
        for p in list {
            if let FStringPart::Expr {
                expr, format_spec, ..
            } = p
            {
                f(expr);
                if let Some(spec) = format_spec {
                    parts(spec, f);
                }
            }
        }
    }
    fn params<'a>(p: &'a Params, f: &mut impl FnMut(&'a Expr)) {
        for param in p.args.iter().chain(&p.kwonly) {
            if let Some(d) = &param.default {
                f(d);
            }
        }
    }
    fn generators<'a>(gens: &'a [Comprehension], f: &mut impl FnMut(&'a Expr)) {
        for g in gens {
            f(&g.target);
            f(&g.iter);
            g.ifs.iter().for_each(&mut *f);
        }
    }
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Constant(_) => {}
        ExprKind::FString(ps) => parts(ps, f),
        ExprKind::BinOp { left, right, .. } => {
            f(left);
            f(right);
        }
        ExprKind::UnaryOp { operand, .. } => f(operand),
        ExprKind::BoolOp { values, .. } => values.iter().for_each(f),
        ExprKind::Compare {
            left, comparators, ..
        } => {
            f(left);
            comparators.iter().for_each(f);
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            f(func);
            args.iter().for_each(&mut *f);
            keywords.iter().for_each(|k| f(&k.value));
        }
        ExprKind::Attribute { value, .. } => f(value),
        ExprKind::Subscript { value, index } => {
            f(value);
            f(index);
        }
        ExprKind::Slice { lower, upper, step } => {
            for x in [lower, upper, step].into_iter().flatten() {
                f(x);
            }
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter().for_each(f)
        }
        ExprKind::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    f(k);
                }
                f(v);
            }
        }
        ExprKind::ListComp { elt, generators: g }
        | ExprKind::SetComp { elt, generators: g }
        | ExprKind::GeneratorExp { elt, generators: g } => {
            f(elt);
            generators(g, f);
        }
        ExprKind::DictComp {
            key,
            value,
            generators: g,
        } => {
            f(key);
            f(value);
            generators(g, f);
        }
        ExprKind::Lambda { params: p, body } => {
            params(p, f);
            f(body);
        }
        ExprKind::IfExp { test, body, orelse } => {
            f(test);
            f(body);
            f(orelse);
        }
        ExprKind::Starred(x) | ExprKind::Await(x) | ExprKind::YieldFrom(x) => f(x),
        ExprKind::NamedExpr { target, value } => {
            f(target);
            f(value);
        }
        ExprKind::Yield(x) => {
            if let Some(x) = x {
                f(x);
            }
        }
    }
}

/// The depth of `e` (a leaf has depth 1), found without recursion; any
/// depth beyond [`MAX_TREE_DEPTH`] is reported as `MAX_TREE_DEPTH + 1`.
pub(crate) fn depth_of(e: &Expr) -> usize {
    if matches!(e.kind, ExprKind::Name(_) | ExprKind::Constant(_)) {
        return 1;
    }
    let mut deepest = 0;
    let mut stack: Vec<(&Expr, usize)> = vec![(e, 1)];
    while let Some((e, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth > MAX_TREE_DEPTH {
            break;
        }
        for_each_child(e, &mut |c| stack.push((c, depth + 1)));
    }
    deepest
}

/// Drops an expression tree of any depth without recursion: boxed operands
/// are moved out into a work list before their parent is dropped.
pub(crate) fn dismantle(e: Expr) {
    fn placeholder() -> Expr {
        Expr {
            kind: ExprKind::Constant(Constant::None),
            span: Span::default(),
        }
    }
    fn take(b: &mut Box<Expr>, out: &mut Vec<Expr>) {
        out.push(std::mem::replace(&mut **b, placeholder()));
    }
    let mut work = vec![e];
    while let Some(mut e) = work.pop() {
        match &mut e.kind {
            ExprKind::BinOp { left, right, .. } => {
                take(left, &mut work);
                take(right, &mut work);
            }
            ExprKind::UnaryOp { operand, .. } => take(operand, &mut work),
            ExprKind::BoolOp { values, .. } => work.append(values),
            ExprKind::Compare {
                left, comparators, ..
            } => {
                take(left, &mut work);
                work.append(comparators);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                take(func, &mut work);
                work.append(args);
                work.extend(keywords.drain(..).map(|k| k.value));
            }
            ExprKind::Attribute { value, .. } => take(value, &mut work),
            ExprKind::Subscript { value, index } => {
                take(value, &mut work);
                take(index, &mut work);
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                work.append(items)
            }
            ExprKind::Starred(x) | ExprKind::Await(x) | ExprKind::YieldFrom(x) => {
                take(x, &mut work)
            }
            ExprKind::IfExp { test, body, orelse } => {
                take(test, &mut work);
                take(body, &mut work);
                take(orelse, &mut work);
            }
            ExprKind::NamedExpr { value, .. } => take(value, &mut work),
            // The remaining kinds only nest through recursion in the parser,
            // which is already bounded, so dropping them normally is safe.
            _ => {}
        }
        drop(e);
    }
}
