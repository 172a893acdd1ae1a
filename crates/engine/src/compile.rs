//! The compiler: syntax tree in, [`Code`] objects out.
//!
//! One [`Unit`] is compiled per scope (module, class body, function, lambda,
//! comprehension). Before a function body is compiled, [`crate::scope`]
//! decides each name's storage, so every name occurrence becomes exactly one
//! of `LoadFast` (a slot in the frame), `LoadDeref` (a cell shared with a
//! closure), `LoadGlobal` (module dict, then builtins) or, in module and
//! class bodies, `LoadName` (the namespace dict).
//!
//! Control flow that leaves a `try`/`with`/`except` early (`return`,
//! `break`, `continue`) is compiled the way CPython 3.9+ does it: the
//! compiler knows the static nesting of blocks (the *fblock* stack) and
//! emits the cleanup inline (pop the try block, call `__exit__`, run the
//! `finally` body) before the jump. Exceptions use a runtime block stack
//! (`SetupExcept`/`PopBlock`) so the VM knows where each handler starts and
//! how deep the value stack was.

use std::collections::HashMap;
use std::sync::Arc;

use crate::code::{Anchor, Code, CodeFlags, Constant, NameHints, Op};
use crate::scope::{self, NameSet, ScopeInfo};
use crate::syntax::ast::*;
use crate::syntax::{SyntaxError, SyntaxErrorKind};
use crate::value::Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum UnitKind {
    Module,
    Class,
    Function,
}

/// A statically known enclosing block, for early exits.
enum FBlock<'a> {
    While { start: usize, breaks: Vec<usize> },
    /// `fresh`: the iterable is a call or generator expression, so the
    /// iterator is referenced only by the loop.
    For { start: usize, breaks: Vec<usize>, fresh: bool },
    Try,
    Finally(&'a [Stmt]),
    With,
    Handler,
}

struct Unit<'a> {
    kind: UnitKind,
    code: Code,
    info: ScopeInfo,
    slots: HashMap<Arc<str>, u32>,
    cells: HashMap<Arc<str>, u32>,
    frees: HashMap<Arc<str>, u32>,
    fblocks: Vec<FBlock<'a>>,
    span: Span,
    /// The innermost enclosing class, for private-name mangling
    /// (`self.__x` in class `C` is `self._C__x`).
    class_name: Option<Arc<str>>,
}

enum NameOp {
    Fast(u32),
    Deref(u32),
    Global,
    Name,
}

pub struct Compiler<'a> {
    filename: Arc<str>,
    lines: Vec<&'a str>,
    units: Vec<Unit<'a>>,
    /// One shared copy of each global name of the module, so that every
    /// code object refers to a name with the very same `Arc`: the dict
    /// key stored by one code object then matches another's lookup by
    /// pointer, without comparing bytes (see `dict::key_is`).
    interned: std::collections::HashSet<Arc<str>>,
}

type CResult<T> = Result<T, SyntaxError>;

/// Compiles a parsed module into the module's code object.
pub fn compile_module(module: &Module, source: &str, filename: &str) -> CResult<Arc<Code>> {
    let rewritten;
    let module = if crate::desugar::has_async_statements(module) {
        rewritten = crate::desugar::async_statements(module.clone());
        &rewritten
    } else {
        module
    };
    let mut c = Compiler {
        filename: Arc::from(filename),
        lines: source.lines().collect(),
        units: Vec::new(),
        interned: Default::default(),
    };
    let info = scope::analyze_class(&module.body);
    c.push_unit(UnitKind::Module, Arc::from("<module>"), Arc::from("<module>"), info, 1);
    c.unit().code.flags.uses_namespace = true;
    for s in &module.body {
        c.stmt(s)?;
    }
    c.emit(Op::LoadConst(0));
    c.emit(Op::Return);
    Ok(Arc::new(c.pop_unit()))
}

/// Compiles one expression (`eval` mode) into a module-level code object
/// that returns the expression's value. Names resolve as in the module's
/// body: the globals the code runs with, then the builtins. `module` must
/// come from parsing `source`; it must be a single expression statement
/// (a [`crate::condition`] checks that and says so otherwise).
pub fn compile_expression(module: &Module, source: &str, filename: &str) -> CResult<Arc<Code>> {
    let mut c = Compiler { filename: Arc::from(filename), lines: source.lines().collect(), units: Vec::new(), interned: Default::default() };
    let info = scope::analyze_class(&module.body);
    c.push_unit(UnitKind::Module, Arc::from("<module>"), Arc::from("<module>"), info, 1);
    c.unit().code.flags.uses_namespace = true;
    match module.body.as_slice() {
        [Stmt { kind: StmtKind::Expr(e), span }] => {
            let saved = c.set_span(*span);
            c.expr(e)?;
            c.set_span(saved);
        }
        [s, ..] => return Err(c.error(s.span, "expected one expression")),
        [] => {
            c.emit(Op::LoadConst(0));
        }
    }
    c.emit(Op::Return);
    Ok(Arc::new(c.pop_unit()))
}

impl<'a> Compiler<'a> {
    fn unit(&mut self) -> &mut Unit<'a> {
        let n = self.units.len() - 1;
        &mut self.units[n]
    }

    fn unit_ref(&self) -> &Unit<'a> {
        &self.units[self.units.len() - 1]
    }

    fn push_unit(&mut self, kind: UnitKind, name: Arc<str>, qualname: Arc<str>, info: ScopeInfo, line: u32) {
        let code = Code {
            name,
            qualname,
            filename: self.filename.clone(),
            ops: Vec::new(),
            spans: Vec::new(),
            consts: vec![Constant::Value(Value::None)],
            names: Vec::new(),
            name_hashes: Vec::new(),
            name_hints: NameHints::default(),
            varnames: Vec::new(),
            argcount: 0,
            posonly: 0,
            kwonlycount: 0,
            cellvars: Vec::new(),
            freevars: Vec::new(),
            cell_params: Vec::new(),
            flags: CodeFlags::default(),
            first_line: line,
            anchors: Vec::new(),
        };
        let mut unit = Unit {
            kind,
            code,
            info,
            slots: HashMap::new(),
            cells: HashMap::new(),
            frees: HashMap::new(),
            fblocks: Vec::new(),
            span: Span { line, col: 1, end_line: line, end_col: 1 },
            class_name: match kind {
                UnitKind::Class => None,
                _ => self.units.last().and_then(|u| u.class_name.clone()),
            },
        };
        // Free variables: names this scope needs that an enclosing function
        // scope binds (or itself receives as free).
        if kind != UnitKind::Module {
            let free = unit.info.free(kind == UnitKind::Class);
            for n in free {
                if self.resolves_in_enclosing(&n) {
                    let i = unit.code.freevars.len() as u32;
                    unit.code.freevars.push(n.clone());
                    unit.frees.insert(n, i);
                }
            }
        }
        if kind == UnitKind::Function {
            for n in unit.info.cells() {
                let i = unit.code.cellvars.len() as u32;
                unit.code.cellvars.push(n.clone());
                unit.cells.insert(n, i);
            }
        } else if kind == UnitKind::Class {
            // A class body's locals are never cells (methods cannot see them).
        }
        self.units.push(unit);
    }

    fn resolves_in_enclosing(&self, name: &Arc<str>) -> bool {
        for u in self.units.iter().rev() {
            match u.kind {
                UnitKind::Module => return false,
                UnitKind::Class => {
                    if u.frees.contains_key(name) {
                        return true;
                    }
                }
                UnitKind::Function => {
                    if u.info.globals.contains(name) {
                        return false;
                    }
                    if u.cells.contains_key(name) || u.frees.contains_key(name) || u.info.locals().contains(name) {
                        return true;
                    }
                }
            }
        }
        false
    }

    fn pop_unit(&mut self) -> Code {
        let mut u = self.units.pop().expect("unit stack is never empty here");
        let ncell = u.code.cellvars.len() as u32;
        // Cells that are parameters get the argument copied in at call time.
        for (i, name) in u.code.cellvars.iter().enumerate() {
            if let Some(slot) = u.slots.get(name) {
                if *slot < u.code.argcount + u.code.kwonlycount + u.code.flags.varargs as u32 + u.code.flags.varkw as u32 {
                    u.code.cell_params.push((*slot, i as u32));
                }
            }
        }
        let _ = ncell;
        u.code.name_hashes = u.code.names.iter().map(|n| crate::dict::str_hash(n)).collect();
        u.code.name_hints = NameHints::new(u.code.names.len());
        u.code
    }

    fn set_span(&mut self, span: Span) -> Span {
        let u = self.unit();
        std::mem::replace(&mut u.span, span)
    }

    fn emit(&mut self, op: Op) -> usize {
        let u = self.unit();
        u.code.ops.push(op);
        u.code.spans.push(u.span);
        u.code.ops.len() - 1
    }

    fn here(&mut self) -> usize {
        self.unit().code.ops.len()
    }

    fn patch(&mut self, at: usize) {
        let target = self.here() as u32;
        self.patch_to(at, target);
    }

    fn patch_to(&mut self, at: usize, target: u32) {
        let op = &mut self.unit().code.ops[at];
        *op = match *op {
            Op::Jump(_) => Op::Jump(target),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(target),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(target),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(target),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(target),
            Op::ForIter(_) => Op::ForIter(target),
            Op::SetupExcept(_) => Op::SetupExcept(target),
            Op::SetupWith(_) => Op::SetupWith(target),
            Op::YieldFrom(_) => Op::YieldFrom(target),
            other => other,
        };
    }

    fn constant(&mut self, c: Constant) -> u32 {
        let consts = &mut self.unit().code.consts;
        // Deduplicate the cheap, common constants.
        if let Constant::Value(v) = &c {
            for (i, e) in consts.iter().enumerate() {
                if let Constant::Value(w) = e {
                    let same = match (v, w) {
                        (Value::Int(a), Value::Int(b)) => a == b,
                        (Value::Str(a), Value::Str(b)) => a == b,
                        (Value::None, Value::None) => true,
                        (Value::Bool(a), Value::Bool(b)) => a == b,
                        _ => false,
                    };
                    if same {
                        return i as u32;
                    }
                }
            }
        }
        consts.push(c);
        (consts.len() - 1) as u32
    }

    fn load_const(&mut self, v: Value) {
        let i = self.constant(Constant::Value(v));
        self.emit(Op::LoadConst(i));
    }

    /// CPython's private-name mangling.
    fn mangle(&self, name: &Arc<str>) -> Arc<str> {
        let Some(cls) = &self.unit_ref().class_name else { return name.clone() };
        if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
            return name.clone();
        }
        let stripped = cls.trim_start_matches('_');
        if stripped.is_empty() {
            return name.clone();
        }
        Arc::from(format!("_{stripped}{name}"))
    }

    fn name_index(&mut self, name: &Arc<str>) -> u32 {
        let name = self.mangle(name);
        let name = match self.interned.get(&name) {
            Some(n) => n.clone(),
            None => {
                self.interned.insert(name.clone());
                name
            }
        };
        let name = &name;
        let names = &mut self.unit().code.names;
        if let Some(i) = names.iter().position(|n| n == name) {
            return i as u32;
        }
        names.push(name.clone());
        (names.len() - 1) as u32
    }

    fn slot(&mut self, name: &Arc<str>) -> u32 {
        let u = self.unit();
        if let Some(s) = u.slots.get(name) {
            return *s;
        }
        let s = u.code.varnames.len() as u32;
        u.code.varnames.push(name.clone());
        u.slots.insert(name.clone(), s);
        s
    }

    fn name_op(&mut self, name: &Arc<str>) -> NameOp {
        let u = self.unit_ref();
        if u.info.globals.contains(name) {
            return if u.kind == UnitKind::Module { NameOp::Name } else { NameOp::Global };
        }
        match u.kind {
            UnitKind::Module => NameOp::Name,
            UnitKind::Class => {
                if let Some(i) = u.frees.get(name) {
                    if !u.info.bound.contains(name) {
                        return NameOp::Deref(u.code.cellvars.len() as u32 + i);
                    }
                }
                NameOp::Name
            }
            UnitKind::Function => {
                if let Some(i) = u.cells.get(name) {
                    return NameOp::Deref(*i);
                }
                if let Some(i) = u.frees.get(name) {
                    return NameOp::Deref(u.code.cellvars.len() as u32 + i);
                }
                if u.info.bound.contains(name) && !u.info.nonlocals.contains(name) {
                    let s = self.slot(name);
                    return NameOp::Fast(s);
                }
                NameOp::Global
            }
        }
    }

    fn load_name(&mut self, name: &Arc<str>) {
        match self.name_op(name) {
            NameOp::Fast(s) => self.emit(Op::LoadFast(s)),
            NameOp::Deref(i) => self.emit(Op::LoadDeref(i)),
            NameOp::Global => {
                let i = self.name_index(name);
                self.emit(Op::LoadGlobal(i))
            }
            NameOp::Name => {
                let i = self.name_index(name);
                if self.unit_ref().kind == UnitKind::Module {
                    self.emit(Op::LoadGlobal(i))
                } else {
                    self.emit(Op::LoadName(i))
                }
            }
        };
    }

    fn store_name(&mut self, name: &Arc<str>) {
        match self.name_op(name) {
            NameOp::Fast(s) => self.emit(Op::StoreFast(s)),
            NameOp::Deref(i) => self.emit(Op::StoreDeref(i)),
            NameOp::Global => {
                let i = self.name_index(name);
                self.emit(Op::StoreGlobal(i))
            }
            NameOp::Name => {
                let i = self.name_index(name);
                if self.unit_ref().kind == UnitKind::Module {
                    self.emit(Op::StoreGlobal(i))
                } else {
                    self.emit(Op::StoreName(i))
                }
            }
        };
    }

    fn delete_name(&mut self, name: &Arc<str>) {
        match self.name_op(name) {
            NameOp::Fast(s) => self.emit(Op::DeleteFast(s)),
            NameOp::Deref(i) => self.emit(Op::DeleteDeref(i)),
            NameOp::Global => {
                let i = self.name_index(name);
                self.emit(Op::DeleteGlobal(i))
            }
            NameOp::Name => {
                let i = self.name_index(name);
                if self.unit_ref().kind == UnitKind::Module {
                    self.emit(Op::DeleteGlobal(i))
                } else {
                    self.emit(Op::DeleteName(i))
                }
            }
        };
    }

    fn error(&self, span: Span, msg: &str) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::SyntaxError,
            msg: msg.to_string(),
            filename: self.filename.to_string(),
            line: span.line,
            col: span.col,
            end_col: span.end_col.max(span.col + 1),
            source_line: self.lines.get(span.line.saturating_sub(1) as usize).map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    /// Emits code raising `NotImplementedError` for a feature outside the
    /// subset, at run time, where the program reaches it.
    /// The source text a span covers (columns count characters from 1).
    fn source_text(&self, span: Span) -> String {
        let line = |n: u32| self.lines.get(n.saturating_sub(1) as usize).copied().unwrap_or("");
        let cut = |l: &str, from: u32, to: Option<u32>| -> String {
            let chars = l.chars().skip(from as usize);
            match to {
                Some(to) => chars.take(to.saturating_sub(from) as usize).collect(),
                None => chars.collect(),
            }
        };
        let (col, end_col) = (span.col.saturating_sub(1), span.end_col.saturating_sub(1));
        if span.line == span.end_line {
            return cut(line(span.line), col, Some(end_col));
        }
        let mut text = cut(line(span.line), col, None);
        for n in span.line + 1..span.end_line {
            text.push('\n');
            text.push_str(line(n));
        }
        text.push('\n');
        text.push_str(&cut(line(span.end_line), 0, Some(end_col)));
        text
    }

    fn unsupported(&mut self, what: &str) {
        let name: Arc<str> = Arc::from("NotImplementedError");
        let i = self.name_index(&name);
        self.emit(Op::LoadGlobal(i));
        self.load_const(Value::from_string(format!("Interleave does not support {what}")));
        self.emit(Op::Call(1));
        self.emit(Op::Raise(1));
    }

    // ------------------------------------------------------------------
    // Statements
    // ------------------------------------------------------------------

    fn stmts(&mut self, body: &'a [Stmt]) -> CResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult<()> {
        let saved = self.set_span(s.span);
        let r = self.stmt_inner(s);
        self.set_span(saved);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult<()> {
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop);
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Dup);
                    }
                    self.assign(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value)?,
            StmtKind::AnnAssign { target, annotation, value } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.assign(target)?;
                }
                // In a class body, `name: annotation` is recorded in the
                // class's `__annotations__` (which `dataclasses` reads),
                // as the annotation's source text: as under `from
                // __future__ import annotations`, since evaluating
                // `list[int]` or `Optional[int]` is not supported.
                if let (UnitKind::Class, ExprKind::Name(n)) = (self.unit_ref().kind, &target.kind) {
                    let text = match &annotation.kind {
                        ExprKind::Constant(crate::syntax::ast::Constant::Str(s)) => s.to_string(),
                        _ => self.source_text(annotation.span),
                    };
                    self.load_const(Value::from_string(text));
                    let i = self.name_index(n);
                    self.emit(Op::StoreAnnotation(i));
                }
            }
            StmtKind::FunctionDef(f) => self.function_def(f)?,
            StmtKind::ClassDef(c) => self.class_def(c)?,
            StmtKind::Return(v) => {
                if self.unit_ref().kind != UnitKind::Function {
                    return Err(self.error(s.span, "'return' outside function"));
                }
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.unwind_for_return()?;
                self.emit(Op::Return);
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch(jf);
                } else {
                    let j = self.emit(Op::Jump(0));
                    self.patch(jf);
                    self.stmts(orelse)?;
                    self.patch(j);
                }
            }
            StmtKind::While { test, body, orelse } => {
                let start = self.here();
                self.expr(test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.unit().fblocks.push(FBlock::While { start, breaks: Vec::new() });
                self.stmts(body)?;
                self.emit(Op::Jump(start as u32));
                let fb = self.unit().fblocks.pop();
                self.patch(jf);
                self.stmts(orelse)?;
                if let Some(FBlock::While { breaks, .. }) = fb {
                    for b in breaks {
                        self.patch(b);
                    }
                }
            }
            StmtKind::For { target, iter, body, orelse, is_async } => {
                if *is_async {
                    self.unsupported("'async for' yet");
                    return Ok(());
                }
                self.expr(iter)?;
                self.emit(Op::GetIter);
                let start = self.here();
                let fi = self.emit(Op::ForIter(0));
                self.assign(target)?;
                let fresh = matches!(iter.kind, ExprKind::Call { .. } | ExprKind::GeneratorExp { .. });
                self.unit().fblocks.push(FBlock::For { start, breaks: Vec::new(), fresh });
                self.stmts(body)?;
                self.emit(Op::Jump(start as u32));
                let fb = self.unit().fblocks.pop();
                self.patch(fi);
                self.stmts(orelse)?;
                if let Some(FBlock::For { breaks, .. }) = fb {
                    for b in breaks {
                        self.patch(b);
                    }
                }
            }
            StmtKind::Break => self.break_continue(s.span, true)?,
            StmtKind::Continue => self.break_continue(s.span, false)?,
            StmtKind::Pass => {}
            StmtKind::Try { body, handlers, orelse, finalbody } => self.try_stmt(body, handlers, orelse, finalbody)?,
            StmtKind::Raise { exc, cause } => {
                let mut n = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::Raise(n));
            }
            StmtKind::With { items, body, is_async } => {
                if *is_async {
                    self.unsupported("'async with' yet");
                    return Ok(());
                }
                self.with_stmt(items, body)?
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                let j = self.emit(Op::PopJumpIfTrue(0));
                let n = match msg {
                    Some(m) => {
                        self.expr(m)?;
                        1
                    }
                    None => 0,
                };
                self.emit(Op::RaiseAssert(n));
                self.patch(j);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            StmtKind::Global(_) => {}
            StmtKind::Nonlocal(names) => {
                for n in names {
                    if !self.unit_ref().frees.contains_key(n) {
                        if self.unit_ref().kind == UnitKind::Module {
                            return Err(self.error(s.span, "nonlocal declaration not allowed at module level"));
                        }
                        return Err(self.error(s.span, &format!("no binding for nonlocal '{n}' found")));
                    }
                }
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let i = self.name_index(&a.name);
                    match &a.asname {
                        Some(asname) => {
                            self.emit(Op::ImportName(i, 1));
                            self.store_name(asname);
                        }
                        None => {
                            self.emit(Op::ImportName(i, 0));
                            let top: Arc<str> = Arc::from(a.name.split('.').next().unwrap_or(&a.name));
                            self.store_name(&top);
                        }
                    }
                }
            }
            StmtKind::ImportFrom { module, names, level } => {
                if *level > 0 {
                    self.unsupported("relative imports");
                    return Ok(());
                }
                let m = module.clone().unwrap_or_else(|| Arc::from(""));
                let i = self.name_index(&m);
                self.emit(Op::ImportName(i, 1));
                for a in names {
                    if &*a.name == "*" {
                        self.emit(Op::ImportStar);
                        return Ok(());
                    }
                    let j = self.name_index(&a.name);
                    self.emit(Op::ImportFrom(j));
                    let bound = a.asname.clone().unwrap_or_else(|| a.name.clone());
                    self.store_name(&bound);
                }
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }

    /// Emits the cleanup of every enclosing block, innermost first, for a
    /// `return` (the return value is on top of the stack).
    fn unwind_for_return(&mut self) -> CResult<()> {
        let n = self.unit_ref().fblocks.len();
        for i in (0..n).rev() {
            self.unwind_one(i, true)?;
        }
        Ok(())
    }

    fn unwind_one(&mut self, i: usize, value_on_top: bool) -> CResult<()> {
        enum K<'b> {
            Try,
            Finally(&'b [Stmt]),
            With,
            Handler,
            Loop,
        }
        let k = match &self.unit_ref().fblocks[i] {
            FBlock::Try => K::Try,
            FBlock::Finally(b) => K::Finally(b),
            FBlock::With => K::With,
            FBlock::Handler => K::Handler,
            FBlock::While { .. } | FBlock::For { .. } => K::Loop,
        };
        match k {
            K::Try => {
                self.emit(Op::PopBlock);
            }
            K::Finally(body) => {
                self.emit(Op::PopBlock);
                // The finally body runs outside its own block (and those
                // inside it), so take them off while compiling it.
                let saved: Vec<FBlock<'a>> = self.unit().fblocks.drain(i..).collect();
                let r = self.stmts(body);
                self.unit().fblocks.extend(saved);
                r?;
            }
            K::With => {
                self.emit(Op::PopBlock);
                if value_on_top {
                    self.emit(Op::Rot2);
                }
                self.emit(Op::WithExitNormal);
            }
            K::Handler => {
                self.emit(Op::PopExcept);
            }
            K::Loop => {
                // A `for` loop's iterator is below the return value.
                if value_on_top {
                    if let FBlock::For { fresh, .. } = self.unit_ref().fblocks[i] {
                        self.emit(Op::Rot2);
                        self.emit(if fresh { Op::CloseIter } else { Op::Pop });
                    }
                }
            }
        }
        Ok(())
    }

    fn break_continue(&mut self, span: Span, is_break: bool) -> CResult<()> {
        let n = self.unit_ref().fblocks.len();
        let mut loop_at = None;
        for i in (0..n).rev() {
            if matches!(self.unit_ref().fblocks[i], FBlock::While { .. } | FBlock::For { .. }) {
                loop_at = Some(i);
                break;
            }
        }
        let Some(l) = loop_at else {
            let msg = if is_break { "'break' outside loop" } else { "'continue' not properly in loop" };
            return Err(self.error(span, msg));
        };
        for i in ((l + 1)..n).rev() {
            self.unwind_one(i, false)?;
        }
        let (is_for, start, fresh) = match &self.unit_ref().fblocks[l] {
            FBlock::For { start, fresh, .. } => (true, *start, *fresh),
            FBlock::While { start, .. } => (false, *start, false),
            _ => (false, 0, false),
        };
        if is_break {
            if is_for {
                self.emit(if fresh { Op::CloseIter } else { Op::Pop });
            }
            let j = self.emit(Op::Jump(0));
            match &mut self.unit().fblocks[l] {
                FBlock::For { breaks, .. } | FBlock::While { breaks, .. } => breaks.push(j),
                _ => {}
            }
        } else {
            self.emit(Op::Jump(start as u32));
        }
        Ok(())
    }

    fn try_stmt(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> CResult<()> {
        let has_finally = !finalbody.is_empty();
        let fin_setup = if has_finally {
            let at = self.emit(Op::SetupExcept(0));
            self.unit().fblocks.push(FBlock::Finally(finalbody));
            Some(at)
        } else {
            None
        };
        if handlers.is_empty() {
            self.stmts(body)?;
            self.stmts(orelse)?;
        } else {
            let setup = self.emit(Op::SetupExcept(0));
            self.unit().fblocks.push(FBlock::Try);
            self.stmts(body)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopBlock);
            self.stmts(orelse)?;
            let mut to_end = vec![self.emit(Op::Jump(0))];
            self.patch(setup);
            for h in handlers {
                let saved = self.set_span(h.span);
                let mut next = None;
                if let Some(t) = &h.typ {
                    // CheckExcMatch keeps the exception below the bool.
                    self.expr(t)?;
                    self.emit(Op::CheckExcMatch);
                    next = Some(self.emit(Op::PopJumpIfFalse(0)));
                }
                match &h.name {
                    Some(n) => self.store_name(n),
                    None => {
                        self.emit(Op::Pop);
                    }
                }
                self.unit().fblocks.push(FBlock::Handler);
                self.stmts(&h.body)?;
                self.unit().fblocks.pop();
                self.emit(Op::PopExcept);
                if let Some(n) = &h.name {
                    // `except E as e` unbinds e afterwards, as CPython does.
                    self.load_const(Value::None);
                    self.store_name(n);
                    self.delete_name(n);
                }
                to_end.push(self.emit(Op::Jump(0)));
                if let Some(j) = next {
                    self.patch(j);
                }
                self.set_span(saved);
            }
            self.emit(Op::Reraise);
            for j in to_end {
                self.patch(j);
            }
        }
        if let Some(at) = fin_setup {
            self.unit().fblocks.pop();
            self.emit(Op::PopBlock);
            self.stmts(finalbody)?;
            let j = self.emit(Op::Jump(0));
            self.patch(at);
            // Exceptional path: the exception is on the stack.
            self.unit().fblocks.push(FBlock::Handler);
            self.stmts(finalbody)?;
            self.unit().fblocks.pop();
            self.emit(Op::Reraise);
            self.patch(j);
        }
        Ok(())
    }

    fn with_stmt(&mut self, items: &'a [WithItem], body: &'a [Stmt]) -> CResult<()> {
        let Some((first, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        self.expr(&first.context)?;
        // [cm] -> [cm, cm] -> [cm, enter()]; the first slot stands for
        // the bound `__exit__` (looked up again when it is called).
        self.emit(Op::WithEnter);
        let enter: Arc<str> = Arc::from("__enter__");
        let i = self.name_index(&enter);
        self.emit(Op::LoadMethod(i));
        self.emit(Op::CallMethod(0));
        let setup = self.emit(Op::SetupWith(0));
        self.unit().fblocks.push(FBlock::With);
        match &first.target {
            Some(t) => self.assign(t)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with_stmt(rest, body)?;
        }
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.emit(Op::WithExitNormal);
        let j = self.emit(Op::Jump(0));
        self.patch(setup);
        // [exit, exc] -> [exit, exc, suppress?]
        self.emit(Op::WithExitExc);
        let k = self.emit(Op::PopJumpIfTrue(0));
        self.emit(Op::Reraise);
        self.patch(k);
        self.emit(Op::Pop);
        self.emit(Op::PopExcept);
        self.emit(Op::Pop);
        self.patch(j);
        Ok(())
    }

    fn assign(&mut self, t: &'a Expr) -> CResult<()> {
        let saved = self.set_span(t.span);
        match &t.kind {
            ExprKind::Name(n) => self.store_name(n),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(attr);
                self.emit(Op::StoreAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                let at = self.emit(Op::StoreSubscr);
                self.unit().code.anchors.push((at as u32, Anchor::Subscript(value.span.end_col)));
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                let star = elts.iter().position(|e| matches!(e.kind, ExprKind::Starred(_)));
                match star {
                    Some(p) => {
                        self.emit(Op::UnpackEx(p as u32, (elts.len() - p - 1) as u32));
                    }
                    None => {
                        self.emit(Op::UnpackSequence(elts.len() as u32));
                    }
                }
                for e in elts {
                    match &e.kind {
                        ExprKind::Starred(inner) => self.assign(inner)?,
                        _ => self.assign(e)?,
                    }
                }
            }
            ExprKind::Starred(inner) => self.assign(inner)?,
            _ => {
                self.set_span(saved);
                return Err(self.error(t.span, "cannot assign to expression"));
            }
        }
        self.set_span(saved);
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult<()> {
        let saved = self.set_span(t.span);
        match &t.kind {
            ExprKind::Name(n) => self.delete_name(n),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(attr);
                self.emit(Op::DeleteAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                let at = self.emit(Op::DeleteSubscr);
                self.unit().code.anchors.push((at as u32, Anchor::Subscript(value.span.end_col)));
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                for e in elts {
                    self.delete(e)?;
                }
            }
            _ => return Err(self.error(t.span, "cannot delete expression")),
        }
        self.set_span(saved);
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr, op: BinOp, value: &'a Expr) -> CResult<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                self.load_name(n);
                self.expr(value)?;
                let saved = self.set_span(target.span);
                self.emit(Op::Inplace(op));
                self.set_span(saved);
                self.store_name(n);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.emit(Op::Dup);
                let i = self.name_index(attr);
                self.emit(Op::LoadAttr(i));
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(i));
            }
            // The item's load and store point at the target, as CPython's
            // carets do (`~^^^^^` under `d["a"]`).
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::Dup2);
                let saved = self.set_span(target.span);
                let at = self.emit(Op::Subscr);
                self.unit().code.anchors.push((at as u32, Anchor::Subscript(obj.span.end_col)));
                self.set_span(saved);
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot3);
                let saved = self.set_span(target.span);
                let at = self.emit(Op::StoreSubscr);
                self.unit().code.anchors.push((at as u32, Anchor::Subscript(obj.span.end_col)));
                self.set_span(saved);
            }
            _ => return Err(self.error(target.span, "'expression' is an illegal expression for augmented assignment")),
        }
        Ok(())
    }

    /// Compiles defaults, kw-defaults and the closure of a nested code
    /// object and emits `MakeFunction`.
    fn make_function(&mut self, code: Code, params: &'a Params) -> CResult<()> {
        let mut flags = 0;
        let defaults: Vec<&Expr> = params.args.iter().filter_map(|p| p.default.as_ref()).collect();
        if !defaults.is_empty() {
            for d in &defaults {
                self.expr(d)?;
            }
            self.emit(Op::BuildTuple(defaults.len() as u32));
            flags |= 1;
        }
        let kwd: Vec<&Param> = params.kwonly.iter().filter(|p| p.default.is_some()).collect();
        if !kwd.is_empty() {
            for p in &kwd {
                self.load_const(Value::Str(p.name.clone()));
                if let Some(d) = &p.default {
                    self.expr(d)?;
                }
            }
            self.emit(Op::BuildMap(kwd.len() as u32));
            flags |= 2;
        }
        self.closure_for(&code, &mut flags);
        let i = self.constant(Constant::Code(Arc::new(code)));
        self.emit(Op::MakeFunction(i, flags));
        Ok(())
    }

    fn closure_for(&mut self, code: &Code, flags: &mut u32) {
        if code.freevars.is_empty() {
            return;
        }
        for n in &code.freevars {
            let u = self.unit_ref();
            let idx = if let Some(i) = u.cells.get(n) {
                *i
            } else if let Some(i) = u.frees.get(n) {
                u.code.cellvars.len() as u32 + i
            } else {
                0
            };
            self.emit(Op::LoadClosure(idx));
        }
        self.emit(Op::BuildTuple(code.freevars.len() as u32));
        *flags |= 8;
    }

    fn qualname(&self, name: &str) -> Arc<str> {
        let u = self.unit_ref();
        match u.kind {
            UnitKind::Module => Arc::from(name),
            UnitKind::Class => Arc::from(format!("{}.{}", u.code.qualname, name)),
            UnitKind::Function => Arc::from(format!("{}.<locals>.{}", u.code.qualname, name)),
        }
    }

    fn setup_params(&mut self, params: &'a Params) {
        for p in &params.args {
            self.slot(&p.name);
        }
        for p in &params.kwonly {
            self.slot(&p.name);
        }
        if let Some(v) = &params.vararg {
            self.slot(v);
        }
        if let Some(v) = &params.kwarg {
            self.slot(v);
        }
        let u = self.unit();
        u.code.argcount = params.args.len() as u32;
        u.code.posonly = params.posonly as u32;
        u.code.kwonlycount = params.kwonly.len() as u32;
        u.code.flags.varargs = params.vararg.is_some();
        u.code.flags.varkw = params.kwarg.is_some();
    }

    fn function_def(&mut self, f: &'a FunctionDef) -> CResult<()> {
        for d in &f.decorators {
            self.expr(d)?;
        }
        let info = scope::analyze_function(&f.params, &f.body);
        let qual = self.qualname(&f.name);
        self.push_unit(UnitKind::Function, f.name.clone(), qual, info, f.span.line);
        self.setup_params(&f.params);
        {
            let u = self.unit();
            u.code.flags.generator = u.info.has_yield;
            u.code.flags.is_async = f.is_async;
        }
        for s in &f.body {
            self.stmt(s)?;
        }
        self.load_const(Value::None);
        self.emit(Op::Return);
        let code = self.pop_unit();
        self.make_function(code, &f.params)?;
        for _ in &f.decorators {
            self.emit(Op::Call(1));
        }
        self.store_name(&f.name);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ClassDef) -> CResult<()> {
        for d in &c.decorators {
            self.expr(d)?;
        }
        // `metaclass=ABCMeta` is accepted (our abc needs no metaclass);
        // other metaclasses are not supported.
        let is_abcmeta = |e: &Expr| match &e.kind {
            ExprKind::Name(n) => &**n == "ABCMeta",
            ExprKind::Attribute { attr, .. } => &**attr == "ABCMeta",
            _ => false,
        };
        if c.keywords.iter().any(|k| k.name.as_deref() == Some("metaclass") && !is_abcmeta(&k.value)) {
            self.unsupported("metaclasses");
            return Ok(());
        }
        let info = scope::analyze_class(&c.body);
        let qual = self.qualname(&c.name);
        self.push_unit(UnitKind::Class, c.name.clone(), qual.clone(), info, c.span.line);
        self.unit().code.flags.uses_namespace = true;
        self.unit().class_name = Some(c.name.clone());
        let modname: Arc<str> = Arc::from("__name__");
        let i = self.name_index(&modname);
        self.emit(Op::LoadGlobal(i));
        let m: Arc<str> = Arc::from("__module__");
        let i = self.name_index(&m);
        self.emit(Op::StoreName(i));
        self.load_const(Value::Str(qual));
        let q: Arc<str> = Arc::from("__qualname__");
        let i = self.name_index(&q);
        self.emit(Op::StoreName(i));
        if annotated(&c.body) {
            // CPython's SETUP_ANNOTATIONS.
            self.emit(Op::BuildMap(0));
            let anns: Arc<str> = Arc::from("__annotations__");
            let i = self.name_index(&anns);
            self.emit(Op::StoreName(i));
        }
        for s in &c.body {
            self.stmt(s)?;
        }
        self.load_const(Value::None);
        self.emit(Op::Return);
        let code = self.pop_unit();
        let mut flags = 0;
        self.closure_for(&code, &mut flags);
        let i = self.constant(Constant::Code(Arc::new(code)));
        self.emit(Op::MakeFunction(i, flags));
        self.load_const(Value::Str(c.name.clone()));
        for b in &c.bases {
            self.expr(b)?;
        }
        self.emit(Op::BuildClass(c.bases.len() as u32));
        for _ in &c.decorators {
            self.emit(Op::Call(1));
        }
        self.store_name(&c.name);
        Ok(())
    }

    // ------------------------------------------------------------------
    // Expressions
    // ------------------------------------------------------------------

    fn expr(&mut self, e: &'a Expr) -> CResult<()> {
        let saved = self.set_span(e.span);
        let r = self.expr_inner(e);
        self.set_span(saved);
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult<()> {
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n),
            ExprKind::Constant(c) => {
                let v = match c {
                    crate::syntax::ast::Constant::None => Value::None,
                    crate::syntax::ast::Constant::True => Value::Bool(true),
                    crate::syntax::ast::Constant::False => Value::Bool(false),
                    crate::syntax::ast::Constant::Ellipsis => Value::Ellipsis,
                    crate::syntax::ast::Constant::Int(i) => Value::Int(*i),
                    crate::syntax::ast::Constant::BigInt(b) => Value::from_big(b.clone()),
                    crate::syntax::ast::Constant::Float(f) => Value::Float(*f),
                    crate::syntax::ast::Constant::Str(s) => Value::Str(s.clone()),
                    crate::syntax::ast::Constant::Bytes(b) => Value::Bytes(b.clone()),
                };
                self.load_const(v);
            }
            ExprKind::FString(parts) => {
                let n = self.fstring(parts)?;
                if n != 1 {
                    self.emit(Op::BuildString(n));
                }
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                let at = self.emit(Op::Binary(*op));
                if left.span.end_line == right.span.line {
                    self.unit().code.anchors.push((at as u32, Anchor::BinOp(left.span.end_col, right.span.col)));
                }
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                self.emit(Op::Unary(*op));
            }
            ExprKind::BoolOp { op, values } => {
                let mut jumps = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        jumps.push(self.emit(match op {
                            BoolOp::And => Op::JumpIfFalseOrPop(0),
                            BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        }));
                    }
                }
                for j in jumps {
                    self.patch(j);
                }
            }
            ExprKind::Compare { left, ops, comparators } => {
                self.expr(left)?;
                if ops.len() == 1 {
                    self.expr(&comparators[0])?;
                    self.emit(Op::Compare(ops[0]));
                } else {
                    let mut cleanups = Vec::new();
                    for (i, (op, c)) in ops.iter().zip(comparators.iter()).enumerate() {
                        self.expr(c)?;
                        if i + 1 < ops.len() {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.emit(Op::Compare(*op));
                            cleanups.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.emit(Op::Compare(*op));
                        }
                    }
                    let end = self.emit(Op::Jump(0));
                    for j in cleanups {
                        self.patch(j);
                    }
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    self.patch(end);
                }
            }
            ExprKind::Call { func, args, keywords } => self.call(func, args, keywords)?,
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(attr);
                self.emit(Op::LoadAttr(i));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                let at = self.emit(Op::Subscr);
                self.unit().code.anchors.push((at as u32, Anchor::Subscript(value.span.end_col)));
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step] {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(Value::None),
                    }
                }
                self.emit(Op::BuildSlice(3));
            }
            ExprKind::List(elts) => self.sequence(elts, 0)?,
            ExprKind::Tuple(elts) => self.sequence(elts, 1)?,
            ExprKind::Set(elts) => self.sequence(elts, 2)?,
            ExprKind::Dict(items) => {
                if items.iter().all(|(k, _)| k.is_some()) && items.len() < 256 {
                    for (k, v) in items {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildMap(items.len() as u32));
                } else {
                    self.emit(Op::BuildMap(0));
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictUpdate);
                            }
                        }
                    }
                }
            }
            ExprKind::ListComp { elt, generators } => self.comprehension(0, &[elt], generators, e.span)?,
            ExprKind::SetComp { elt, generators } => self.comprehension(1, &[elt], generators, e.span)?,
            ExprKind::DictComp { key, value, generators } => self.comprehension(2, &[key, value], generators, e.span)?,
            ExprKind::GeneratorExp { elt, generators } => self.comprehension(3, &[elt], generators, e.span)?,
            ExprKind::Lambda { params, body } => {
                let info = scope::analyze_lambda(params, body);
                let qual = self.qualname("<lambda>");
                self.push_unit(UnitKind::Function, Arc::from("<lambda>"), qual, info, e.span.line);
                self.setup_params(params);
                self.unit().code.flags.generator = self.unit_ref().info.has_yield;
                self.expr(body)?;
                self.emit(Op::Return);
                let code = self.pop_unit();
                self.make_function(code, params)?;
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                let jf = self.emit(Op::PopJumpIfFalse(0));
                self.expr(body)?;
                let j = self.emit(Op::Jump(0));
                self.patch(jf);
                self.expr(orelse)?;
                self.patch(j);
            }
            ExprKind::Starred(_) => return Err(self.error(e.span, "can't use starred expression here")),
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.emit(Op::Dup);
                self.assign(target)?;
            }
            ExprKind::Await(v) => {
                // As CPython 3.11: GET_AWAITABLE, then `yield from`'s loop.
                self.expr(v)?;
                self.emit(Op::GetAwaitable);
                self.yield_from_loop();
            }
            ExprKind::Yield(v) => {
                if self.unit_ref().kind != UnitKind::Function {
                    return Err(self.error(e.span, "'yield' outside function"));
                }
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.emit(Op::Yield);
            }
            ExprKind::YieldFrom(v) => {
                if self.unit_ref().kind != UnitKind::Function {
                    return Err(self.error(e.span, "'yield' outside function"));
                }
                self.expr(v)?;
                self.emit(Op::GetIter);
                self.yield_from_loop();
            }
        }
        Ok(())
    }

    /// `iter(x)`, or for an `async for`, `x.__aiter__()`.
    fn get_iter(&mut self, is_async: bool) {
        if is_async {
            let aiter: Arc<str> = Arc::from("__aiter__");
            let i = self.name_index(&aiter);
            self.emit(Op::LoadMethod(i));
            self.emit(Op::CallMethod(0));
        } else {
            self.emit(Op::GetIter);
        }
    }

    /// One step of an `async for` in a comprehension, over the iterator
    /// on the stack: `await it.__anext__()` pushed above it, or, when that
    /// raises StopAsyncIteration, a jump (returned, to patch) to the end
    /// of the loop with the iterator still on the stack.
    fn async_next(&mut self) -> CResult<usize> {
        let setup = self.emit(Op::SetupExcept(0));
        self.emit(Op::Dup);
        let anext: Arc<str> = Arc::from("__anext__");
        let i = self.name_index(&anext);
        self.emit(Op::LoadMethod(i));
        self.emit(Op::CallMethod(0));
        self.emit(Op::GetAwaitable);
        self.yield_from_loop();
        self.emit(Op::PopBlock);
        let got = self.emit(Op::Jump(0));
        self.patch(setup);
        let stop: Arc<str> = Arc::from("StopAsyncIteration");
        let j = self.name_index(&stop);
        self.emit(Op::LoadGlobal(j));
        self.emit(Op::CheckExcMatch);
        let other = self.emit(Op::PopJumpIfFalse(0));
        self.emit(Op::Pop);
        self.emit(Op::PopExcept);
        let done = self.emit(Op::Jump(0));
        self.patch(other);
        self.emit(Op::Reraise);
        self.patch(got);
        Ok(done)
    }

    /// The loop of `yield from` and `await`, over the iterator on the
    /// stack: the shape `coroutine::delegate` recognises in a suspended
    /// frame (a `Yield` followed by the `Jump` back to the `YieldFrom`).
    fn yield_from_loop(&mut self) {
        self.load_const(Value::None);
        let l = self.emit(Op::YieldFrom(0));
        self.emit(Op::Yield);
        self.emit(Op::Jump(l as u32));
        self.patch(l);
    }

    /// kind: 0 list, 1 tuple, 2 set.
    fn sequence(&mut self, elts: &'a [Expr], kind: u8) -> CResult<()> {
        let has_star = elts.iter().any(|e| matches!(e.kind, ExprKind::Starred(_)));
        if !has_star {
            for x in elts {
                self.expr(x)?;
            }
            let n = elts.len() as u32;
            self.emit(match kind {
                0 => Op::BuildList(n),
                1 => Op::BuildTuple(n),
                _ => Op::BuildSet(n),
            });
            return Ok(());
        }
        if kind == 2 {
            self.emit(Op::BuildSet(0));
        } else {
            self.emit(Op::BuildList(0));
        }
        for x in elts {
            match &x.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(if kind == 2 { Op::SetUpdate } else { Op::ListExtend });
                }
                _ => {
                    self.expr(x)?;
                    self.emit(if kind == 2 { Op::SetAdd(1) } else { Op::ListAppend(1) });
                }
            }
        }
        if kind == 1 {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &'a [FStringPart]) -> CResult<u32> {
        let mut n = 0;
        for p in parts {
            match p {
                FStringPart::Literal(s) => {
                    self.load_const(Value::Str(s.clone()));
                    n += 1;
                }
                FStringPart::Expr { expr, conversion, format_spec, debug_text } => {
                    if let Some(t) = debug_text {
                        self.load_const(Value::Str(t.clone()));
                        n += 1;
                    }
                    self.expr(expr)?;
                    let mut conv = match conversion {
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        _ => 0,
                    };
                    if debug_text.is_some() && conversion.is_none() && format_spec.is_none() {
                        conv = 2;
                    }
                    let has_spec = match format_spec {
                        Some(spec) => {
                            let k = self.fstring(spec)?;
                            if k != 1 {
                                self.emit(Op::BuildString(k));
                            }
                            1
                        }
                        None => 0,
                    };
                    self.emit(Op::FormatValue(conv, has_spec));
                    n += 1;
                }
            }
        }
        if n == 0 {
            self.load_const(Value::str(""));
            n = 1;
        }
        Ok(n)
    }

    fn call(&mut self, func: &'a Expr, args: &'a [Expr], keywords: &'a [Keyword]) -> CResult<()> {
        if let ExprKind::Name(n) = &func.kind {
            if &**n == "super" && args.is_empty() && keywords.is_empty() && self.unit_ref().kind == UnitKind::Function {
                self.emit(Op::SuperZero);
                return Ok(());
            }
        }
        let simple_args = !args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)));
        let simple_kw = keywords.iter().all(|k| k.name.is_some());
        if let ExprKind::Attribute { value, attr } = &func.kind {
            if simple_args && keywords.is_empty() {
                self.expr(value)?;
                let i = self.name_index(attr);
                let saved = self.set_span(func.span);
                self.emit(Op::LoadMethod(i));
                self.set_span(saved);
                for a in args {
                    self.expr(a)?;
                }
                self.emit(Op::CallMethod(args.len() as u32));
                return Ok(());
            }
        }
        self.expr(func)?;
        if simple_args && simple_kw {
            for a in args {
                self.expr(a)?;
            }
            if keywords.is_empty() {
                self.emit(Op::Call(args.len() as u32));
            } else {
                let mut names = Vec::new();
                for k in keywords {
                    self.expr(&k.value)?;
                    names.push(k.name.clone().unwrap_or_else(|| Arc::from("")));
                }
                let c = self.constant(Constant::Names(Arc::from(names)));
                self.emit(Op::CallKw((args.len() + keywords.len()) as u32, c));
            }
            return Ok(());
        }
        // General form: build a tuple of positional arguments and a dict of
        // keyword arguments.
        self.emit(Op::BuildList(0));
        for a in args {
            match &a.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(Op::ListExtend);
                }
                _ => {
                    self.expr(a)?;
                    self.emit(Op::ListAppend(1));
                }
            }
        }
        self.emit(Op::ListToTuple);
        if keywords.is_empty() {
            self.load_const(Value::None);
        } else {
            self.emit(Op::BuildMap(0));
            for k in keywords {
                match &k.name {
                    Some(n) => {
                        self.load_const(Value::Str(n.clone()));
                        self.expr(&k.value)?;
                        self.emit(Op::MapAdd(1));
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Op::DictUpdate);
                    }
                }
            }
        }
        self.emit(Op::CallEx);
        Ok(())
    }

    /// kind: 0 list, 1 set, 2 dict, 3 generator.
    fn comprehension(&mut self, kind: u8, elts: &[&'a Expr], generators: &'a [Comprehension], span: Span) -> CResult<()> {
        let Some(first) = generators.first() else {
            return Err(self.error(span, "comprehension without 'for'"));
        };
        let info = scope::analyze_comprehension(elts, generators);
        // A comprehension with an `await` or an `async for` in it is a
        // coroutine of its own, awaited where it stands, or for a
        // generator expression an asynchronous generator (as in CPython).
        let is_async = info.has_await || generators.iter().any(|g| g.is_async);
        let awaits = is_async && kind != 3;
        let name = match kind {
            0 => "<listcomp>",
            1 => "<setcomp>",
            2 => "<dictcomp>",
            _ => "<genexpr>",
        };
        let qual = self.qualname(name);
        self.push_unit(UnitKind::Function, Arc::from(name), qual, info, span.line);
        let dot0: Arc<str> = Arc::from(".0");
        self.slot(&dot0);
        self.unit().code.argcount = 1;
        self.unit().code.flags.generator = kind == 3;
        self.unit().code.flags.is_async = is_async;
        match kind {
            0 => {
                self.emit(Op::BuildList(0));
            }
            1 => {
                self.emit(Op::BuildSet(0));
            }
            2 => {
                self.emit(Op::BuildMap(0));
            }
            _ => {}
        }
        // Each loop: where it starts, and the jump that leaves it (an
        // `async for` leaves it with its iterator still to pop).
        let mut loops = Vec::new();
        for (i, g) in generators.iter().enumerate() {
            if i == 0 {
                self.emit(Op::LoadFast(0));
            } else {
                self.expr(&g.iter)?;
                self.get_iter(g.is_async);
            }
            let start = self.here();
            let fi = if g.is_async { self.async_next()? } else { self.emit(Op::ForIter(0)) };
            self.assign(&g.target)?;
            let mut skips = Vec::new();
            for c in &g.ifs {
                self.expr(c)?;
                skips.push(self.emit(Op::PopJumpIfFalse(start as u32)));
            }
            loops.push((start, fi, g.is_async));
        }
        let depth = generators.len() as u32;
        match kind {
            0 => {
                self.expr(elts[0])?;
                self.emit(Op::ListAppend(depth + 1));
            }
            1 => {
                self.expr(elts[0])?;
                self.emit(Op::SetAdd(depth + 1));
            }
            2 => {
                self.expr(elts[0])?;
                self.expr(elts[1])?;
                self.emit(Op::MapAdd(depth + 1));
            }
            _ => {
                self.expr(elts[0])?;
                self.emit(Op::Yield);
                self.emit(Op::Pop);
            }
        }
        for (start, fi, is_async) in loops.into_iter().rev() {
            self.emit(Op::Jump(start as u32));
            self.patch(fi);
            if is_async {
                self.emit(Op::Pop);
            }
        }
        if kind == 3 {
            self.load_const(Value::None);
        }
        self.emit(Op::Return);
        let code = self.pop_unit();
        let mut flags = 0;
        self.closure_for(&code, &mut flags);
        let i = self.constant(Constant::Code(Arc::new(code)));
        self.emit(Op::MakeFunction(i, flags));
        self.expr(&first.iter)?;
        self.get_iter(first.is_async);
        self.emit(Op::Call(1));
        if awaits {
            self.emit(Op::GetAwaitable);
            self.yield_from_loop();
        }
        Ok(())
    }
}

pub type NameSetAlias = NameSet;

/// Whether a class body annotates a name (`x: int`), also inside its
/// `if`, `for`, `while`, `with` and `try` blocks.
fn annotated(body: &[Stmt]) -> bool {
    crate::desugar::any_statement(body, false, &|s| matches!(&s.kind, StmtKind::AnnAssign { target, .. } if matches!(target.kind, ExprKind::Name(_))))
}
