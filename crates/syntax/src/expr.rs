//! Expressions, from the loosest-binding form to the tightest:
//!
//! ```text
//! lambda  <  x if c else y  <  or  <  and  <  not  <  comparisons
//!         <  |  <  ^  <  &  <  << >>  <  + -  <  * / // % @
//!         <  unary + - ~  <  **  <  await  <  primary (calls, .attr, [index])
//! ```
//!
//! Each of the loose levels has its own function named after CPython's
//! grammar rule. The six binary-operator levels share one function using
//! precedence climbing: parse an operand, then while the next operator binds
//! at least as tightly as the current minimum, parse its right operand with
//! the minimum raised one level (which makes all of them left-associative).
//! `**` is different: it is right-associative and its right operand may
//! carry a unary sign (`2**-1`), while a unary sign on its left binds looser
//! (`-2**2 == -(2**2)`), so `factor` and `power` handle it.

use crate::ast::*;
use crate::depth;
use crate::lexer::Tok;
use crate::parser::{PResult, Parser};
use crate::targets::TargetKind;

/// Operator levels, loosest first (the derived order is the precedence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    Not,
    Compare,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Sum,
    Term,
    Unary,
    Power,
    Await,
}

#[derive(Clone, Copy)]
enum Prefix {
    Not,
    Unary(UnaryOp),
    Await,
}

#[derive(Clone, Copy)]
enum Infix {
    Bool(BoolOp),
    Compare(CmpOp),
    Bin(BinOp),
}

/// An operator waiting for its right operand on the operator stack.
enum Pending {
    Prefix(Prefix, Span),
    Bin(BinOp, Level),
    /// A comparison chain so far: `a < b <= c` has two operators.
    Compare(Vec<CmpOp>),
    /// `count` operators of the same kind: `a or b or c` has two.
    Bool(BoolOp, usize),
}

impl Pending {
    fn level(&self) -> Level {
        match self {
            Pending::Prefix(Prefix::Not, _) => Level::Not,
            Pending::Prefix(Prefix::Unary(_), _) => Level::Unary,
            Pending::Prefix(Prefix::Await, _) => Level::Await,
            Pending::Bin(_, level) => *level,
            Pending::Compare(_) => Level::Compare,
            Pending::Bool(BoolOp::Or, _) => Level::Or,
            Pending::Bool(BoolOp::And, _) => Level::And,
        }
    }
}

/// Bounds the operator stack: `- - - ... x` needs no recursion here, but
/// the tree it builds is as deep as the stack, and later passes recurse.
const MAX_OPERATORS: usize = 1000;

fn join(a: Span, b: Span) -> Span {
    Span {
        line: a.line,
        col: a.col,
        end_line: b.end_line,
        end_col: b.end_col,
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Parser {
    /// Whether the current token can begin an expression.
    pub(crate) fn starts_expression(&self) -> bool {
        match self.tok() {
            Tok::Name(_) | Tok::Number(_) | Tok::Str(_) | Tok::Imaginary => true,
            Tok::Keyword(k) => matches!(*k, "None" | "True" | "False" | "lambda" | "not" | "await"),
            Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "..." | "*"),
            _ => false,
        }
    }

    /// `star_expressions`: `a`, `a, b`, `a, *b,` (a tuple without brackets).
    pub(crate) fn star_expressions(&mut self) -> PResult<Expr> {
        let start = self.span();
        let first = self.star_expression()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if !self.starts_expression() {
                break;
            }
            items.push(self.star_expression()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span: self.span_from(start),
        })
    }

    /// `'*' bitwise_or | expression`
    pub(crate) fn star_expression(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let start = self.bump();
            let value = self.bitwise_or()?;
            return Ok(Expr {
                kind: ExprKind::Starred(boxed(value)),
                span: self.span_from(start),
            });
        }
        self.expression()
    }

    /// `'*' bitwise_or | named_expression` (items of displays).
    pub(crate) fn star_named_expression(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let start = self.bump();
            let value = self.bitwise_or()?;
            return Ok(Expr {
                kind: ExprKind::Starred(boxed(value)),
                span: self.span_from(start),
            });
        }
        self.named_expression()
    }

    /// `NAME ':=' expression | expression`
    pub(crate) fn named_expression(&mut self) -> PResult<Expr> {
        if let (Tok::Name(name), Tok::Op(":=")) = (self.tok(), self.tok_at(1)) {
            let name = name.clone();
            let start = self.bump();
            self.bump();
            let value = self.expression()?;
            let target = Expr {
                kind: ExprKind::Name(name),
                span: start,
            };
            return Ok(Expr {
                kind: ExprKind::NamedExpr {
                    target: boxed(target),
                    value: boxed(value),
                },
                span: self.span_from(start),
            });
        }
        let e = self.expression()?;
        if self.at_op(":=") && self.parses_after_operator() {
            let name = crate::targets::expr_name(&e);
            return Err(self.err(
                format!("cannot use assignment expressions with {name}"),
                e.span,
            ));
        }
        if self.at_op("=") {
            if let Some(err) = self.assignment_instead_of_comparison(&e) {
                return Err(err);
            }
        }
        Ok(e)
    }

    /// Whether an expression follows the current (operator) token; used to
    /// decide, as CPython's error rules do, whether a hint applies.
    fn parses_after_operator(&mut self) -> bool {
        let (save, furthest) = (self.pos, self.furthest);
        self.bump();
        let ok = self.expression().is_ok();
        self.pos = save;
        self.furthest = furthest;
        ok
    }

    /// CPython's `invalid_named_expression`: `if x = 1:` was probably meant
    /// to be a comparison. Called with the current token at the `=`.
    #[inline(never)]
    pub(crate) fn assignment_instead_of_comparison(
        &mut self,
        e: &Expr,
    ) -> Option<crate::parser::PErr> {
        let save = self.pos;
        self.bump();
        let rhs = self.bitwise_or();
        let rhs_ok = !self.at_op("=") && !self.at_op(":=");
        self.pos = save;
        let rhs = rhs.ok().filter(|_| rhs_ok)?;
        let paren = self.parenthesized(e);
        if matches!(e.kind, ExprKind::Name(_)) && !paren {
            return Some(self.err(
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                join(e.span, rhs.span),
            ));
        }
        let excluded = match &e.kind {
            ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::GeneratorExp { .. } => true,
            ExprKind::Constant(Constant::True | Constant::False | Constant::None) => !paren,
            _ => false,
        };
        if excluded || !(paren || crate::targets::is_bitwise_or_level(e)) {
            return None;
        }
        let name = crate::targets::expr_name(e);
        Some(self.err(
            format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?"),
            e.span,
        ))
    }

    /// `expression: disjunction ['if' disjunction 'else' expression] | lambdef`
    pub(crate) fn expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let result = self.expression_inner();
        self.leave();
        result
    }

    fn expression_inner(&mut self) -> PResult<Expr> {
        if self.at_kw("lambda") {
            return self.lambda();
        }
        let start = self.span();
        let body = self.disjunction()?;
        if !self.at_kw("if") {
            return Ok(body);
        }
        self.bump();
        let test = self.disjunction()?;
        if !self.eat_kw("else") {
            // CPython's `invalid_expression`: anything but `else` or `:`.
            if !self.at_op(":") {
                let span = join(body.span, test.span);
                return Err(self.err("expected 'else' after 'if' expression", span));
            }
            return Err(self.invalid());
        }
        let orelse = self.expression()?;
        let span = self.span_from(start);
        Ok(Expr {
            kind: ExprKind::IfExp {
                test: boxed(test),
                body: boxed(body),
                orelse: boxed(orelse),
            },
            span,
        })
    }

    #[inline(never)]
    fn lambda(&mut self) -> PResult<Expr> {
        let start = self.bump();
        let params = self.params(false)?;
        if !self.eat_op(":") {
            return Err(self.invalid());
        }
        self.push_scope(crate::context::ScopeKind::Lambda);
        let body = self.expression();
        self.pop_scope();
        let body = body?;
        Ok(Expr {
            kind: ExprKind::Lambda {
                params: Box::new(params),
                body: boxed(body),
            },
            span: self.span_from(start),
        })
    }

    /// `disjunction`: everything from `or` down to `await`.
    pub(crate) fn disjunction(&mut self) -> PResult<Expr> {
        self.operators(Level::Or)
    }

    /// `bitwise_or`: no `not`, comparisons, `and` or `or` at the top.
    pub(crate) fn bitwise_or(&mut self) -> PResult<Expr> {
        self.operators(Level::BitOr)
    }

    /// Used by `del`: a comparison so that `del x in y` names what is wrong.
    pub(crate) fn bitwise_or_or_comparison(&mut self) -> PResult<Expr> {
        self.operators(Level::Compare)
    }

    /// All operator levels from `floor` up, parsed with explicit stacks
    /// (see the module docs) so that nesting costs no recursion.
    fn operators(&mut self, floor: Level) -> PResult<Expr> {
        // Most expressions are a single operand: return those without
        // allocating any stacks.
        let mut first = None;
        let first_start = self.span();
        if !matches!(
            self.tok(),
            Tok::Keyword("not" | "await") | Tok::Op("-" | "+" | "~")
        ) {
            let operand = self.primary()?;
            if self.peek_infix(floor).is_none() {
                return Ok(operand);
            }
            first = Some(operand);
        }
        let mut operands: Vec<Expr> = Vec::new();
        // The tree depth of each operand, kept alongside (see `depth.rs`).
        let mut depths: Vec<usize> = Vec::new();
        // Each operand's span including any parentheses around it: CPython
        // starts `(a + b) * c` at the `(`.
        let mut outers: Vec<Span> = Vec::new();
        let mut stack: Vec<Pending> = Vec::new();
        loop {
            // An operand, with its prefix operators (the first operand may
            // already be parsed, without any).
            while first.is_none() {
                let (op, level) = match self.tok() {
                    Tok::Keyword("not") => (Prefix::Not, Level::Not),
                    Tok::Op("-") => (Prefix::Unary(UnaryOp::USub), Level::Unary),
                    Tok::Op("+") => (Prefix::Unary(UnaryOp::UAdd), Level::Unary),
                    Tok::Op("~") => (Prefix::Unary(UnaryOp::Invert), Level::Unary),
                    Tok::Keyword("await") => (Prefix::Await, Level::Await),
                    _ => break,
                };
                // A prefix operator must bind tighter than the operator
                // before it (`a + not b` is an error), except that `**`
                // accepts a signed right operand (`2 ** -1`).
                let before = stack.last().map_or(floor, Pending::level);
                let allowed = if stack.is_empty() {
                    level >= floor
                } else {
                    level > before
                } || (before == Level::Power && level == Level::Unary)
                    || (before == level && level != Level::Await);
                if !allowed || matches!(stack.last(), Some(Pending::Prefix(Prefix::Await, _))) {
                    return Err(self.invalid());
                }
                let span = self.bump();
                stack.push(Pending::Prefix(op, span));
                if stack.len() > MAX_OPERATORS {
                    return Err(self.err("expression too deeply nested", span));
                }
            }
            let (operand, outer) = match first.take() {
                Some(operand) => (operand, self.span_from(first_start)),
                None => {
                    let start = self.span();
                    let operand = self.primary()?;
                    (operand, self.span_from(start))
                }
            };
            outers.push(outer);
            depths.push(depth::depth_of(&operand));
            operands.push(operand);
            // An infix operator, or the end of this expression.
            let Some((infix, level)) = self.infix(floor) else {
                break;
            };
            while let Some(top) = stack.last() {
                let top_level = top.level();
                // `**` is right-associative: only strictly tighter operators
                // finish before it. Chains (comparisons, and, or) extend.
                let finish = if level == Level::Power {
                    top_level > level
                } else {
                    top_level >= level
                };
                if !finish {
                    break;
                }
                if top_level == level && matches!(top, Pending::Compare(..) | Pending::Bool(..)) {
                    break;
                }
                let top = stack.pop().ok_or_else(|| self.invalid())?;
                self.reduce(top, &mut operands, &mut depths, &mut outers)?;
            }
            match (infix, stack.last_mut()) {
                (Infix::Compare(op), Some(Pending::Compare(ops))) => ops.push(op),
                (Infix::Bool(op), Some(Pending::Bool(top_op, count))) if *top_op == op => {
                    *count += 1
                }
                (Infix::Compare(op), _) => stack.push(Pending::Compare(vec![op])),
                (Infix::Bool(op), _) => stack.push(Pending::Bool(op, 1)),
                (Infix::Bin(op), _) => stack.push(Pending::Bin(op, level)),
            }
            if stack.len() > MAX_OPERATORS {
                return Err(self.err("expression too deeply nested", self.span()));
            }
        }
        while let Some(top) = stack.pop() {
            self.reduce(top, &mut operands, &mut depths, &mut outers)?;
        }
        match (operands.pop(), operands.is_empty()) {
            (Some(e), true) => Ok(e),
            _ => Err(self.invalid()),
        }
    }

    /// The infix operator at the current token, if it may continue an
    /// expression whose loosest level is `floor`; consumes it.
    #[inline(never)]
    fn infix(&mut self, floor: Level) -> Option<(Infix, Level)> {
        let (infix, level, width) = self.peek_infix(floor)?;
        for _ in 0..width {
            self.bump();
        }
        Some((infix, level))
    }

    /// The infix operator at the current token (and how many tokens it
    /// spans), if it may continue an expression whose loosest level is
    /// `floor`.
    fn peek_infix(&self, floor: Level) -> Option<(Infix, Level, usize)> {
        let (infix, level, width) = match self.tok() {
            Tok::Keyword("or") => (Infix::Bool(BoolOp::Or), Level::Or, 1),
            Tok::Keyword("and") => (Infix::Bool(BoolOp::And), Level::And, 1),
            Tok::Keyword("in") => (Infix::Compare(CmpOp::In), Level::Compare, 1),
            Tok::Keyword("not") if matches!(self.tok_at(1), Tok::Keyword("in")) => {
                (Infix::Compare(CmpOp::NotIn), Level::Compare, 2)
            }
            Tok::Keyword("is") if matches!(self.tok_at(1), Tok::Keyword("not")) => {
                (Infix::Compare(CmpOp::IsNot), Level::Compare, 2)
            }
            Tok::Keyword("is") => (Infix::Compare(CmpOp::Is), Level::Compare, 1),
            Tok::Op(op) => {
                let (infix, level) = match *op {
                    "==" => (Infix::Compare(CmpOp::Eq), Level::Compare),
                    "!=" => (Infix::Compare(CmpOp::NotEq), Level::Compare),
                    "<" => (Infix::Compare(CmpOp::Lt), Level::Compare),
                    "<=" => (Infix::Compare(CmpOp::LtE), Level::Compare),
                    ">" => (Infix::Compare(CmpOp::Gt), Level::Compare),
                    ">=" => (Infix::Compare(CmpOp::GtE), Level::Compare),
                    "|" => (Infix::Bin(BinOp::BitOr), Level::BitOr),
                    "^" => (Infix::Bin(BinOp::BitXor), Level::BitXor),
                    "&" => (Infix::Bin(BinOp::BitAnd), Level::BitAnd),
                    "<<" => (Infix::Bin(BinOp::LShift), Level::Shift),
                    ">>" => (Infix::Bin(BinOp::RShift), Level::Shift),
                    "+" => (Infix::Bin(BinOp::Add), Level::Sum),
                    "-" => (Infix::Bin(BinOp::Sub), Level::Sum),
                    "*" => (Infix::Bin(BinOp::Mult), Level::Term),
                    "/" => (Infix::Bin(BinOp::Div), Level::Term),
                    "//" => (Infix::Bin(BinOp::FloorDiv), Level::Term),
                    "%" => (Infix::Bin(BinOp::Mod), Level::Term),
                    "@" => (Infix::Bin(BinOp::MatMult), Level::Term),
                    "**" => (Infix::Bin(BinOp::Pow), Level::Power),
                    _ => return None,
                };
                (infix, level, 1)
            }
            _ => return None,
        };
        if level < floor {
            return None;
        }
        Some((infix, level, width))
    }

    /// Applies one pending operator to the operands it takes.
    #[inline(never)]
    fn reduce(
        &mut self,
        op: Pending,
        operands: &mut Vec<Expr>,
        depths: &mut Vec<usize>,
        outers: &mut Vec<Span>,
    ) -> PResult<()> {
        let arity = match &op {
            Pending::Prefix(..) => 1,
            Pending::Bin(..) => 2,
            Pending::Compare(ops) => ops.len() + 1,
            Pending::Bool(_, count) => count + 1,
        };
        let depth = 1 + depths
            .split_off(depths.len().saturating_sub(arity))
            .into_iter()
            .max()
            .unwrap_or(0);
        if depth > depth::MAX_TREE_DEPTH {
            let span = operands.last().map_or(self.span(), |e| e.span);
            for e in operands.drain(..) {
                depth::dismantle(e);
            }
            return Err(self.err("expression too deeply nested", span));
        }
        depths.push(depth);
        let taken = outers.split_off(outers.len().saturating_sub(arity));
        let outer_first = taken.first().copied().unwrap_or_default();
        let outer_last = taken.last().copied().unwrap_or_default();
        let take = |operands: &mut Vec<Expr>, n: usize| -> Option<Vec<Expr>> {
            let at = operands.len().checked_sub(n)?;
            Some(operands.split_off(at))
        };
        let e = match op {
            Pending::Prefix(prefix, start) => {
                let operand = operands.pop().ok_or_else(|| self.invalid())?;
                let span = join(start, outer_last);
                let kind = match prefix {
                    Prefix::Not => ExprKind::UnaryOp {
                        op: UnaryOp::Not,
                        operand: boxed(operand),
                    },
                    Prefix::Unary(op) => ExprKind::UnaryOp {
                        op,
                        operand: boxed(operand),
                    },
                    Prefix::Await => ExprKind::Await(boxed(operand)),
                };
                if matches!(kind, ExprKind::Await(_)) {
                    self.check_await(span);
                }
                Expr { kind, span }
            }
            Pending::Bin(op, _) => {
                let mut pair = take(operands, 2).ok_or_else(|| self.invalid())?;
                let right = pair.pop().ok_or_else(|| self.invalid())?;
                let left = pair.pop().ok_or_else(|| self.invalid())?;
                let span = join(outer_first, outer_last);
                Expr {
                    kind: ExprKind::BinOp {
                        left: boxed(left),
                        op,
                        right: boxed(right),
                    },
                    span,
                }
            }
            Pending::Compare(ops) => {
                let mut all = take(operands, ops.len() + 1).ok_or_else(|| self.invalid())?;
                let comparators = all.split_off(1);
                let left = all.pop().ok_or_else(|| self.invalid())?;
                let span = join(outer_first, outer_last);
                Expr {
                    kind: ExprKind::Compare {
                        left: boxed(left),
                        ops,
                        comparators,
                    },
                    span,
                }
            }
            Pending::Bool(op, count) => {
                let values = take(operands, count + 1).ok_or_else(|| self.invalid())?;
                let span = join(outer_first, outer_last);
                Expr {
                    kind: ExprKind::BoolOp { op, values },
                    span,
                }
            }
        };
        outers.push(e.span);
        operands.push(e);
        Ok(())
    }

    /// An atom followed by any number of `.name`, `(args)` and `[index]`.
    #[inline(never)]
    fn primary(&mut self) -> PResult<Expr> {
        // Trailers start where the atom's first token does, parentheses
        // included: `(a).b` starts at the `(`, as in CPython.
        let start = self.span();
        let mut e = self.atom()?;
        let mut trailers = 0usize;
        loop {
            trailers += 1;
            if trailers > depth::MAX_TREE_DEPTH {
                let span = e.span;
                depth::dismantle(e);
                return Err(self.err("expression too deeply nested", span));
            }
            match self.tok() {
                Tok::Op(".") => {
                    self.bump();
                    let (attr, _) = self.expect_name()?;
                    let span = self.span_from(start);
                    e = Expr {
                        kind: ExprKind::Attribute {
                            value: boxed(e),
                            attr,
                        },
                        span,
                    };
                }
                Tok::Op("(") => {
                    self.bump();
                    let (args, keywords) = self.call_arguments(true)?;
                    let span = self.span_from(start);
                    e = Expr {
                        kind: ExprKind::Call {
                            func: boxed(e),
                            args,
                            keywords,
                        },
                        span,
                    };
                }
                Tok::Op("[") => {
                    self.bump();
                    self.bracket_depth += 1;
                    let index = self.slices()?;
                    self.bracket_depth -= 1;
                    self.close("]")?;
                    let span = self.span_from(start);
                    e = Expr {
                        kind: ExprKind::Subscript {
                            value: boxed(e),
                            index: boxed(index),
                        },
                        span,
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    /// Expects a closing bracket, explaining a missing comma when two
    /// expressions meet inside the brackets.
    pub(crate) fn close(&mut self, bracket: &str) -> PResult<Span> {
        if self.at_op(bracket) {
            return Ok(self.bump());
        }
        Err(self.invalid())
    }

    /// CPython's `invalid_expression` rule: inside brackets, two expressions
    /// side by side most likely lack a comma between them.
    #[inline(never)]
    pub(crate) fn missing_comma(&mut self, first: &Expr) -> Option<crate::parser::PErr> {
        if self.bracket_depth == 0 || !self.starts_expression() || self.at_op("*") {
            return None;
        }
        if matches!(first.kind, ExprKind::Name(_)) && matches!(self.tok(), Tok::Str(_)) {
            return None;
        }
        if matches!(
            first.kind,
            ExprKind::Lambda { .. } | ExprKind::IfExp { .. } | ExprKind::Starred(_)
        ) {
            return None;
        }
        let save = self.pos;
        let saved_depth = self.bracket_depth;
        let second = self.lenient_expression(false);
        self.pos = save;
        self.bracket_depth = saved_depth;
        match second {
            Ok(second) => Some(self.err(
                "invalid syntax. Perhaps you forgot a comma?",
                join(first.span, second.span),
            )),
            Err(_) => None,
        }
    }

    /// Parses an expression the way CPython's error rules do, where a PEG
    /// parser keeps the longest prefix that is an expression: if the whole
    /// expression fails (`y + raise`), its first primary (`y`) is taken.
    /// Errors other than plain invalid syntax (a bad escape in a string, a
    /// tokenizer error) are returned as they are.
    pub(crate) fn lenient_expression(&mut self, star: bool) -> PResult<Expr> {
        let save = self.pos;
        let full = if star {
            self.star_expressions()
        } else {
            self.expression()
        };
        match full {
            Err(e)
                if e.msg == "invalid syntax" || e.msg.ends_with("Perhaps you forgot a comma?") =>
            {
                self.pos = save;
                self.primary()
            }
            other => other,
        }
    }

    /// What follows an item inside brackets when it is neither `,` nor the
    /// closing bracket.
    #[inline(never)]
    fn bad_item_follower(&mut self, item: &Expr) -> crate::parser::PErr {
        if let Some(e) = self.missing_comma(item) {
            return e;
        }
        self.invalid()
    }

    /// `slices`: one slice or expression, or several making a tuple.
    #[inline(never)]
    fn slices(&mut self) -> PResult<Expr> {
        let start = self.span();
        let first = self.slice()?;
        if !self.at_op(",") {
            if let ExprKind::Starred(_) = first.kind {
                // `a[*b]` indexes with a one-element tuple, as in CPython.
                let span = first.span;
                return Ok(Expr {
                    kind: ExprKind::Tuple(vec![first]),
                    span,
                });
            }
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_op("]") {
                break;
            }
            items.push(self.slice()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span: self.span_from(start),
        })
    }

    fn slice(&mut self) -> PResult<Expr> {
        let start = self.span();
        let lower = if self.at_op(":") {
            None
        } else {
            let e = self.star_named_expression()?;
            if !self.at_op(":") {
                if !self.at_op(",") && !self.at_op("]") {
                    return Err(self.bad_item_follower(&e));
                }
                return Ok(e);
            }
            Some(boxed(e))
        };
        self.bump();
        let upper = if self.at_op(":") || self.at_op(",") || self.at_op("]") {
            None
        } else {
            Some(boxed(self.expression()?))
        };
        let step = if self.eat_op(":") {
            if self.at_op(",") || self.at_op("]") {
                None
            } else {
                Some(boxed(self.expression()?))
            }
        } else {
            None
        };
        Ok(Expr {
            kind: ExprKind::Slice { lower, upper, step },
            span: self.span_from(start),
        })
    }

    /// The arguments of a call, after its `(`, up to and including `)`.
    #[inline(never)]
    pub(crate) fn call_arguments(
        &mut self,
        allow_genexp: bool,
    ) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        self.bracket_depth += 1;
        let mut args: Vec<Expr> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let open = self.prev_span();
        // CPython reports a positional argument after keywords once all the
        // arguments are read, at the closing bracket.
        let mut misplaced: Option<&str> = None;
        loop {
            if self.at_op(")") {
                break;
            }
            let start = self.span();
            if self.at_op("*") {
                self.bump();
                let value = self.expression()?;
                let span = self.span_from(start);
                if keywords.iter().any(|k| k.name.is_none()) {
                    return Err(self.err(
                        "iterable argument unpacking follows keyword argument unpacking",
                        start,
                    ));
                }
                args.push(Expr {
                    kind: ExprKind::Starred(boxed(value)),
                    span,
                });
            } else if self.at_op("**") {
                self.bump();
                let value = self.expression()?;
                keywords.push(Keyword {
                    name: None,
                    value,
                    span: self.span_from(start),
                });
            } else if let (Tok::Name(name), Tok::Op("=")) = (self.tok(), self.tok_at(1)) {
                let name = name.clone();
                self.bump();
                self.bump();
                let value = self.expression()?;
                keywords.push(Keyword {
                    name: Some(name),
                    value,
                    span: self.span_from(start),
                });
            } else {
                let value = if matches!(self.tok_at(1), Tok::Op(":=")) {
                    self.named_expression()?
                } else {
                    self.expression()?
                };
                if self.at_kw("for")
                    || (self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for")))
                {
                    if !allow_genexp {
                        return Err(self.invalid());
                    }
                    let generators = self.comprehension_clauses()?;
                    let span = self.span_from(start);
                    let alone = args.is_empty() && keywords.is_empty() && self.at_op(")");
                    // A lone generator argument owns the call's parentheses,
                    // as in CPython: `f(x for x in y)` spans `(x ... y)`.
                    let gen_span = if alone { join(open, self.span()) } else { span };
                    let gen = Expr {
                        kind: ExprKind::GeneratorExp {
                            elt: boxed(value),
                            generators,
                        },
                        span: gen_span,
                    };
                    let followed = self.at_op(",")
                        && matches!(self.tok_at(1), Tok::Op(")"))
                        && args.is_empty()
                        && keywords.is_empty();
                    if !alone && !followed {
                        if !self.at_op(",") && !self.at_op(")") {
                            return Err(self.invalid());
                        }
                        return Err(self.err("Generator expression must be parenthesized", span));
                    }
                    args.push(gen);
                } else {
                    if self.at_op("=") && !matches!(value.kind, ExprKind::NamedExpr { .. }) {
                        let span = join(value.span, self.span());
                        return Err(self.err(
                            "expression cannot contain assignment, perhaps you meant \"==\"?",
                            span,
                        ));
                    }
                    if !keywords.is_empty() && misplaced.is_none() {
                        misplaced = Some(if keywords.iter().any(|k| k.name.is_none()) {
                            "positional argument follows keyword argument unpacking"
                        } else {
                            "positional argument follows keyword argument"
                        });
                    }
                    args.push(value);
                }
            }
            if self.eat_op(",") {
                continue;
            }
            if !self.at_op(")") {
                let last = match (args.last(), keywords.last()) {
                    (Some(a), Some(k)) => {
                        if (a.span.line, a.span.col) > (k.span.line, k.span.col) {
                            a.clone()
                        } else {
                            k.value.clone()
                        }
                    }
                    (Some(a), None) => a.clone(),
                    (None, Some(k)) => k.value.clone(),
                    (None, None) => return Err(self.invalid()),
                };
                return Err(self.bad_item_follower(&last));
            }
        }
        if let Some(msg) = misplaced {
            return Err(self.err(msg, self.span()));
        }
        self.bracket_depth -= 1;
        self.bump();
        // Repeated keywords are a compile-time error in CPython; catching it
        // here (deferred, see `context.rs`) keeps the runtime simple.
        for (i, k) in keywords.iter().enumerate() {
            if let Some(name) = &k.name {
                if keywords[..i].iter().any(|o| o.name.as_ref() == Some(name)) {
                    let msg = format!("keyword argument repeated: {name}");
                    self.defer(crate::context::Tier::CodeGen, &msg, k.span);
                    break;
                }
            }
        }
        Ok((args, keywords))
    }

    /// `('async'? 'for' star_targets 'in' disjunction ('if' disjunction)*)+`
    pub(crate) fn comprehension_clauses(&mut self) -> PResult<Vec<Comprehension>> {
        let mut generators = Vec::new();
        loop {
            let is_async = if self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for")) {
                self.bump();
                true
            } else {
                false
            };
            if !self.eat_kw("for") {
                break;
            }
            let target = self.star_targets()?;
            if !self.eat_kw("in") {
                // CPython's `invalid_for_target`: a missing comma first,
                // then an impossible target, then plain invalid syntax.
                if let Some(e) = self.missing_comma(&target) {
                    return Err(e);
                }
                self.check_target(&target, TargetKind::For)?;
                return Err(self.invalid());
            }
            self.check_target(&target, TargetKind::For)?;
            self.check_starred_target(&target);
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.disjunction()?);
            }
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                is_async,
            });
        }
        Ok(generators)
    }

    /// `star_targets` of `for` loops and comprehensions: parsed at the
    /// `bitwise_or` level so that the `in` after them is not taken for a
    /// comparison. The caller checks them once it has seen the `in`.
    pub(crate) fn star_targets(&mut self) -> PResult<Expr> {
        let start = self.span();
        let first = self.star_target()?;
        let result = if self.at_op(",") {
            let mut items = vec![first];
            while self.eat_op(",") {
                if !self.starts_expression() {
                    break;
                }
                items.push(self.star_target()?);
            }
            Expr {
                kind: ExprKind::Tuple(items),
                span: self.span_from(start),
            }
        } else {
            first
        };
        Ok(result)
    }

    pub(crate) fn star_target(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let start = self.bump();
            if self.at_op("*") {
                return Err(self.invalid());
            }
            let value = self.star_target()?;
            return Ok(Expr {
                kind: ExprKind::Starred(boxed(value)),
                span: self.span_from(start),
            });
        }
        self.bitwise_or()
    }

    /// `yield`, `yield x`, `yield a, b`, `yield from x`.
    pub(crate) fn yield_expr(&mut self) -> PResult<Expr> {
        let start = self.bump();
        if self.eat_kw("from") {
            let value = self.expression()?;
            let span = self.span_from(start);
            self.check_yield(true, span);
            return Ok(Expr {
                kind: ExprKind::YieldFrom(boxed(value)),
                span,
            });
        }
        let value = if self.starts_expression() {
            Some(boxed(self.star_expressions()?))
        } else {
            None
        };
        let span = self.span_from(start);
        self.check_yield(false, span);
        Ok(Expr {
            kind: ExprKind::Yield(value),
            span,
        })
    }

    #[inline(never)]
    fn atom(&mut self) -> PResult<Expr> {
        let span = self.span();
        let kind = match self.tok() {
            Tok::Name(n) => {
                let n = n.clone();
                self.bump();
                ExprKind::Name(n)
            }
            Tok::Number(c) => {
                let c = c.clone();
                self.bump();
                ExprKind::Constant(c)
            }
            Tok::Imaginary => {
                return Err(self.err(
                    "imaginary numbers (complex literals) are not supported by Interleave",
                    span,
                ));
            }
            Tok::Str(_) => return self.strings(),
            Tok::Keyword("None") => {
                self.bump();
                ExprKind::Constant(Constant::None)
            }
            Tok::Keyword("True") => {
                self.bump();
                ExprKind::Constant(Constant::True)
            }
            Tok::Keyword("False") => {
                self.bump();
                ExprKind::Constant(Constant::False)
            }
            Tok::Op("...") => {
                self.bump();
                ExprKind::Constant(Constant::Ellipsis)
            }
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list(),
            Tok::Op("{") => return self.brace(),
            _ => return Err(self.invalid()),
        };
        Ok(Expr { kind, span })
    }

    /// `( ... )`: a group, a tuple, a generator expression or a parenthesized
    /// yield.
    #[inline(never)]
    fn paren(&mut self) -> PResult<Expr> {
        let start = self.bump();
        self.bracket_depth += 1;
        let result = self.paren_inner(start);
        if result.is_ok() {
            self.bracket_depth -= 1;
        }
        result
    }

    #[inline(never)]
    fn paren_inner(&mut self, start: Span) -> PResult<Expr> {
        if self.at_op(")") {
            self.bump();
            return Ok(Expr {
                kind: ExprKind::Tuple(Vec::new()),
                span: self.span_from(start),
            });
        }
        if self.at_kw("yield") {
            let e = self.yield_expr()?;
            self.close(")")?;
            return Ok(e);
        }
        let first = self.star_named_expression()?;
        if self.at_kw("for")
            || (self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for")))
        {
            let generators = self.comprehension_clauses()?;
            if !self.at_op(")") {
                return Err(self.invalid());
            }
            self.bump();
            return Ok(Expr {
                kind: ExprKind::GeneratorExp {
                    elt: boxed(first),
                    generators,
                },
                span: self.span_from(start),
            });
        }
        if self.at_op(")") {
            self.bump();
            if let ExprKind::Starred(_) = first.kind {
                return Err(self.err("cannot use starred expression here", first.span));
            }
            return Ok(first);
        }
        if !self.at_op(",") {
            return Err(self.bad_item_follower(&first));
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_op(")") {
                break;
            }
            let item = self.star_named_expression()?;
            if !self.at_op(",") && !self.at_op(")") {
                return Err(self.bad_item_follower(&item));
            }
            items.push(item);
        }
        self.close(")")?;
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span: self.span_from(start),
        })
    }

    #[inline(never)]
    fn list(&mut self) -> PResult<Expr> {
        let start = self.bump();
        self.bracket_depth += 1;
        if self.at_op("]") {
            self.bump();
            self.bracket_depth -= 1;
            return Ok(Expr {
                kind: ExprKind::List(Vec::new()),
                span: self.span_from(start),
            });
        }
        let first = self.star_named_expression()?;
        if self.at_kw("for")
            || (self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for")))
        {
            let generators = self.comprehension_clauses()?;
            if !self.at_op("]") {
                return Err(self.invalid());
            }
            self.bump();
            self.bracket_depth -= 1;
            let span = self.span_from(start);
            if generators.iter().any(|g| g.is_async) {
                self.check_async_comprehension(span);
            }
            return Ok(Expr {
                kind: ExprKind::ListComp {
                    elt: boxed(first),
                    generators,
                },
                span,
            });
        }
        let mut items = vec![first];
        loop {
            if self.at_op("]") {
                break;
            }
            if !self.at_op(",") {
                let last = items.last().cloned().unwrap_or_else(|| Expr {
                    kind: ExprKind::List(Vec::new()),
                    span: start,
                });
                return Err(self.bad_item_follower(&last));
            }
            self.bump();
            if self.at_op("]") {
                break;
            }
            items.push(self.star_named_expression()?);
        }
        self.bump();
        self.bracket_depth -= 1;
        Ok(Expr {
            kind: ExprKind::List(items),
            span: self.span_from(start),
        })
    }

    /// `{ ... }`: a dict, a set, or their comprehensions.
    #[inline(never)]
    fn brace(&mut self) -> PResult<Expr> {
        let start = self.bump();
        self.bracket_depth += 1;
        if self.at_op("}") {
            self.bump();
            self.bracket_depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Dict(Vec::new()),
                span: self.span_from(start),
            });
        }
        // The first item decides between a dict and a set.
        let first_key = if self.eat_op("**") {
            None
        } else {
            let e = self.star_named_expression()?;
            Some(e)
        };
        let is_dict = first_key.is_none() || self.at_op(":");
        if !is_dict {
            let first = first_key.ok_or_else(|| self.invalid())?;
            if self.at_kw("for")
                || (self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for")))
            {
                let generators = self.comprehension_clauses()?;
                if !self.at_op("}") {
                    return Err(self.invalid());
                }
                self.bump();
                self.bracket_depth -= 1;
                let span = self.span_from(start);
                if generators.iter().any(|g| g.is_async) {
                    self.check_async_comprehension(span);
                }
                return Ok(Expr {
                    kind: ExprKind::SetComp {
                        elt: boxed(first),
                        generators,
                    },
                    span,
                });
            }
            let mut items = vec![first];
            loop {
                if self.at_op("}") {
                    break;
                }
                if !self.at_op(",") {
                    let last = items.last().cloned().unwrap_or_else(|| Expr {
                        kind: ExprKind::Set(Vec::new()),
                        span: start,
                    });
                    return Err(self.bad_item_follower(&last));
                }
                self.bump();
                if self.at_op("}") {
                    break;
                }
                items.push(self.star_named_expression()?);
            }
            self.bump();
            self.bracket_depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Set(items),
                span: self.span_from(start),
            });
        }
        let first = match first_key {
            None => (None, self.bitwise_or()?),
            Some(k) => {
                self.bump();
                let v = self.expression()?;
                (Some(k), v)
            }
        };
        if first.0.is_some()
            && (self.at_kw("for")
                || (self.at_kw("async") && matches!(self.tok_at(1), Tok::Keyword("for"))))
        {
            let generators = self.comprehension_clauses()?;
            if !self.at_op("}") {
                return Err(self.invalid());
            }
            self.bump();
            self.bracket_depth -= 1;
            let (key, value) = first;
            let key = key.ok_or_else(|| self.invalid())?;
            let span = self.span_from(start);
            if generators.iter().any(|g| g.is_async) {
                self.check_async_comprehension(span);
            }
            return Ok(Expr {
                kind: ExprKind::DictComp {
                    key: boxed(key),
                    value: boxed(value),
                    generators,
                },
                span,
            });
        }
        let mut items = vec![first];
        loop {
            if self.at_op("}") {
                break;
            }
            if !self.at_op(",") {
                // After a `**spread` CPython reads a `bitwise_or`, where its
                // missing-comma hint does not apply.
                match items.last() {
                    Some((Some(_), last)) => {
                        let last = last.clone();
                        return Err(self.bad_item_follower(&last));
                    }
                    _ => return Err(self.invalid()),
                }
            }
            self.bump();
            if self.at_op("}") {
                break;
            }
            if self.eat_op("**") {
                let v = self.bitwise_or()?;
                items.push((None, v));
                continue;
            }
            let key = self.expression()?;
            if !self.at_op(":") {
                if self.at_op("}") || self.at_op(",") {
                    return Err(self.err("':' expected after dictionary key", key.span));
                }
                return Err(self.bad_item_follower(&key));
            }
            self.bump();
            let value = self.expression()?;
            items.push((Some(key), value));
        }
        self.bump();
        self.bracket_depth -= 1;
        Ok(Expr {
            kind: ExprKind::Dict(items),
            span: self.span_from(start),
        })
    }

    /// Parameters of a `def` (after its `(`, up to but excluding `)`) or of a
    /// `lambda` (up to but excluding `:`). Only `def` parameters may carry
    /// annotations.
    pub(crate) fn params(&mut self, is_def: bool) -> PResult<Params> {
        let end = if is_def { ")" } else { ":" };
        let mut params = Params::default();
        let mut seen_slash = false;
        let mut seen_star = false;
        let mut seen_default = false;
        let mut names: Vec<Name> = Vec::new();
        // The last annotation or default, for "Perhaps you forgot a comma?".
        let mut last_expr: Option<Expr>;
        let mut misordered: Option<Span> = None;
        loop {
            last_expr = None;
            if self.at_op(end) {
                break;
            }
            let start = self.span();
            if params.kwarg.is_some() {
                return Err(self.err("arguments cannot follow var-keyword argument", start));
            }
            if self.at_op("/") {
                self.bump();
                if seen_slash {
                    return Err(self.err("/ may appear only once", start));
                }
                if seen_star {
                    return Err(self.err("/ must be ahead of *", start));
                }
                if params.args.is_empty() {
                    return Err(self.err("at least one argument must precede /", start));
                }
                seen_slash = true;
                params.posonly = params.args.len();
            } else if self.at_op("*") {
                self.bump();
                if seen_star && (self.at_op(",") || matches!(self.tok(), Tok::Name(_))) {
                    return Err(self.err("* argument may appear only once", start));
                }
                if seen_star {
                    return Err(self.err("invalid syntax", start));
                }
                seen_star = true;
                if self.at_op(",") || self.at_op(end) {
                    let bare = if self.at_op(end) {
                        Some(self.span())
                    } else if matches!(self.tok_at(1), Tok::Op(o) if *o == end || *o == "**") {
                        Some(self.span_at(1))
                    } else {
                        None
                    };
                    if let Some(last) = bare {
                        // `def` points at the star, `lambda` at the token after.
                        return Err(self.err(
                            "named arguments must follow bare *",
                            if is_def { start } else { last },
                        ));
                    }
                } else {
                    let (name, nspan) = self.expect_name()?;
                    self.check_duplicate(&mut names, &name, nspan)?;
                    if is_def && self.eat_op(":") {
                        self.expression()?;
                    }
                    if self.at_op("=") {
                        return Err(self.err(
                            "var-positional argument cannot have default value",
                            self.span(),
                        ));
                    }
                    params.vararg = Some(name);
                }
            } else if self.at_op("**") {
                self.bump();
                let (name, nspan) = self.expect_name()?;
                self.check_duplicate(&mut names, &name, nspan)?;
                if is_def && self.eat_op(":") {
                    self.expression()?;
                }
                if self.at_op("=") {
                    return Err(self.err(
                        "var-keyword argument cannot have default value",
                        self.span(),
                    ));
                }
                params.kwarg = Some(name);
            } else {
                let (name, nspan) = self.expect_name()?;
                self.check_duplicate(&mut names, &name, nspan)?;
                let annotation = if is_def && self.eat_op(":") {
                    Some(self.expression()?)
                } else {
                    None
                };
                let default = if self.at_op("=") {
                    let eq = self.bump();
                    if self.at_op(",") || self.at_op(end) {
                        return Err(self.err("expected default value expression", eq));
                    }
                    Some(self.expression()?)
                } else {
                    None
                };
                last_expr = default.clone().or_else(|| annotation.clone());
                let param = Param {
                    name,
                    default,
                    annotation,
                    span: self.span_from(start),
                };
                if seen_star {
                    params.kwonly.push(param);
                } else {
                    if param.default.is_some() {
                        seen_default = true;
                    } else if seen_default && misordered.is_none() {
                        // Reported only if the whole list parses, as in CPython.
                        misordered = Some(param.span);
                    }
                    params.args.push(param);
                }
            }
            if !self.eat_op(",") {
                if !self.at_op(end) {
                    if let Some(e) = last_expr.as_ref().and_then(|e| self.missing_comma(e)) {
                        return Err(e);
                    }
                    return Err(self.invalid());
                }
                break;
            }
        }
        if let Some(span) = misordered {
            return Err(self.err("non-default argument follows default argument", span));
        }
        Ok(params)
    }

    /// Duplicate parameters are found by CPython's symbol table, after
    /// parsing: the error is deferred (see `context.rs`).
    fn check_duplicate(&mut self, names: &mut Vec<Name>, name: &Name, span: Span) -> PResult<()> {
        if names.contains(name) {
            let msg = format!("duplicate argument '{name}' in function definition");
            self.defer(crate::context::Tier::SymbolTable, &msg, span);
        }
        names.push(name.clone());
        Ok(())
    }
}
