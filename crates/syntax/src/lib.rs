//! The front end of Interleave's Python subset: source text in, [`ast::Module`]
//! or a CPython-style [`SyntaxError`] out.

pub mod ast;
mod error;
mod parser;

pub use error::{SyntaxError, SyntaxErrorKind};
pub use parser::parse;
