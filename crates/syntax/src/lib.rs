//! The front end of Interleave's Python subset: source text in, [`ast::Module`]
//! or a CPython-style [`SyntaxError`] out.
//!
//! The pipeline is `lexer` (characters → tokens, including the INDENT and
//! DEDENT tokens that encode Python's layout) → `parser` (tokens → syntax tree,
//! with `expr`, `strings` and `targets` handling expressions, literals and
//! assignment targets). Errors follow CPython 3.11's messages and positions.

pub mod ast;
mod context;
mod depth;
mod error;
mod expr;
mod lexer;
mod parser;
mod strings;
mod targets;

pub use error::{SyntaxError, SyntaxErrorKind};
pub use parser::parse;
