//! The syntax tree of the Python subset.
//!
//! This is the contract between the parser (`lexer.rs`, `parser.rs`) and the
//! compiler (`compile.rs`). It follows the shape of CPython's `ast` module so
//! that anyone who knows `ast.dump` can read it, but it is smaller: only what
//! the subset runs. Every node carries a [`Span`] so that errors, tracebacks
//! and the page's "current line" highlight can point at the source.
//!
//! Names are `Arc<str>`: the whole engine state must be `Send` (the explorer
//! moves machines between rayon workers) and cheap to clone.

use std::sync::Arc;

use num_bigint::BigInt;

/// An identifier or a dotted module path, shared cheaply.
pub type Name = Arc<str>;

/// A region of the source. Lines and columns are 1-based; columns count
/// characters (not bytes), as CPython's `SyntaxError.offset` does.
/// `end_col` is exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect (also docstrings).
    Expr(Expr),
    /// `a = b = value`: `targets` in source order.
    Assign { targets: Vec<Expr>, value: Expr },
    /// `target op= value`.
    AugAssign { target: Expr, op: BinOp, value: Expr },
    /// `target: annotation [= value]`; the annotation is parsed and ignored.
    AnnAssign { target: Expr, annotation: Expr, value: Option<Expr> },
    FunctionDef(Arc<FunctionDef>),
    ClassDef(Arc<ClassDef>),
    Return(Option<Expr>),
    If { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    While { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    For { target: Expr, iter: Expr, body: Vec<Stmt>, orelse: Vec<Stmt>, is_async: bool },
    Break,
    Continue,
    Pass,
    Try { body: Vec<Stmt>, handlers: Vec<ExceptHandler>, orelse: Vec<Stmt>, finalbody: Vec<Stmt> },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise { exc: Option<Expr>, cause: Option<Expr> },
    With { items: Vec<WithItem>, body: Vec<Stmt>, is_async: bool },
    Assert { test: Expr, msg: Option<Expr> },
    Delete(Vec<Expr>),
    Global(Vec<Name>),
    Nonlocal(Vec<Name>),
    /// `import a.b as c, d`.
    Import(Vec<Alias>),
    /// `from module import a as b, c` or `from module import *` (one alias
    /// named `*`). `level` counts leading dots of a relative import.
    ImportFrom { module: Option<Name>, names: Vec<Alias>, level: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub name: Name,
    pub params: Params,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    /// Return annotation, parsed and ignored.
    pub returns: Option<Expr>,
    pub is_async: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub name: Name,
    pub bases: Vec<Expr>,
    /// `metaclass=...` and friends; kept so the compiler can refuse them clearly.
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub span: Span,
}

/// Parameters of a `def` or `lambda`.
/// `def f(a, b=1, /, c=2, *args, d, e=3, **kw)`: positional-only parameters
/// are folded into `args` (with `posonly` counting them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub args: Vec<Param>,
    pub posonly: usize,
    pub vararg: Option<Name>,
    pub kwonly: Vec<Param>,
    pub kwarg: Option<Name>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Name,
    pub default: Option<Expr>,
    /// Parsed and ignored.
    pub annotation: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExceptHandler {
    /// `None` for a bare `except:`.
    pub typ: Option<Expr>,
    pub name: Option<Name>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    /// Dotted for `import a.b`; `*` for a star import.
    pub name: Name,
    pub asname: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Name(Name),
    Constant(Constant),
    /// An f-string (adjacent literals already merged into it).
    FString(Vec<FStringPart>),
    BinOp { left: Box<Expr>, op: BinOp, right: Box<Expr> },
    UnaryOp { op: UnaryOp, operand: Box<Expr> },
    /// `a and b and c`: at least two values.
    BoolOp { op: BoolOp, values: Vec<Expr> },
    /// `a < b <= c`: `ops.len() == comparators.len()`.
    Compare { left: Box<Expr>, ops: Vec<CmpOp>, comparators: Vec<Expr> },
    Call { func: Box<Expr>, args: Vec<Expr>, keywords: Vec<Keyword> },
    Attribute { value: Box<Expr>, attr: Name },
    /// `value[index]`; `a[1:2]` has a `Slice` index, `a[1, 2]` a `Tuple`.
    Subscript { value: Box<Expr>, index: Box<Expr> },
    Slice { lower: Option<Box<Expr>>, upper: Option<Box<Expr>>, step: Option<Box<Expr>> },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// `None` key: a `**mapping` spread.
    Dict(Vec<(Option<Expr>, Expr)>),
    Set(Vec<Expr>),
    ListComp { elt: Box<Expr>, generators: Vec<Comprehension> },
    SetComp { elt: Box<Expr>, generators: Vec<Comprehension> },
    DictComp { key: Box<Expr>, value: Box<Expr>, generators: Vec<Comprehension> },
    GeneratorExp { elt: Box<Expr>, generators: Vec<Comprehension> },
    Lambda { params: Box<Params>, body: Box<Expr> },
    /// `body if test else orelse`.
    IfExp { test: Box<Expr>, body: Box<Expr>, orelse: Box<Expr> },
    /// `*x` in a call's arguments, a list/tuple display or an assignment target.
    Starred(Box<Expr>),
    /// `name := value`.
    NamedExpr { target: Box<Expr>, value: Box<Expr> },
    Await(Box<Expr>),
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    None,
    True,
    False,
    Ellipsis,
    /// Integers that fit in an i64.
    Int(i64),
    /// Larger integer literals.
    BigInt(BigInt),
    Float(f64),
    /// Adjacent string literals are already concatenated.
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum FStringPart {
    Literal(Arc<str>),
    Expr {
        expr: Box<Expr>,
        /// `!r`, `!s`, `!a`.
        conversion: Option<char>,
        /// The spec after `:`, itself possibly holding replacement fields.
        format_spec: Option<Vec<FStringPart>>,
        /// For `f"{x=}"`: the text `x=` (with its spaces) to print before
        /// the value; the conversion then defaults to `!r` as in CPython.
        debug_text: Option<Arc<str>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// `None` for a `**mapping` argument.
    pub name: Option<Name>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Invert,
    UAdd,
    USub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}
