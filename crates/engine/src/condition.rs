//! Conditions: a Python expression asked of a program's final state.
//!
//! "Can `counter < 4` be true at the end?" is a question about the module
//! globals once a run is over. A [`Condition`] is such an expression,
//! compiled once (like CPython's `eval` mode) and then evaluated on any
//! number of ended machines with [`Machine::eval_condition`], in the main
//! module's globals (the builtins behind them).
//!
//! Evaluation happens after the run ended, so it is not part of the
//! schedule: it runs on a temporary thread of its own, with its own small
//! step budget ([`CONDITION_STEPS`]), and the machine's outcome, output,
//! schedule, clock and step count are as they were before. Only the heap
//! can change, when the expression itself has side effects
//! (`results.pop() == 3`); callers evaluate a condition once, on a machine
//! they are done with.

use std::sync::Arc;

use crate::code::Code;
use crate::dict::PyDict;
use crate::host::NullHost;
use crate::kernel::{Thread, MAIN_PID};
use crate::machine::{group, Machine};
use crate::object::{Function, Obj};
use crate::syntax::{SyntaxError, SyntaxErrorKind};
use crate::vm::{Flow, Halt};

/// The step budget of one evaluation: a condition is a short expression,
/// and one that loops (calling a function of the program that never
/// returns, say) must end with an error, not hang the search.
pub const CONDITION_STEPS: u64 = 100_000;

/// The filename syntax errors in a condition name.
pub const CONDITION_FILENAME: &str = "<condition>";

/// A compiled condition: one Python expression.
#[derive(Clone, Debug)]
pub struct Condition {
    source: Arc<str>,
    code: Arc<Code>,
}

impl Condition {
    /// Compiles `expr` (surrounding whitespace ignored). Anything but one
    /// expression is a syntax error: an empty text, a statement
    /// (`counter = 4`), several statements.
    pub fn compile(expr: &str) -> Result<Condition, SyntaxError> {
        let source = expr.trim();
        let error = |msg: &str, line: u32, col: u32, end_col: u32| SyntaxError {
            kind: SyntaxErrorKind::SyntaxError,
            msg: msg.into(),
            filename: CONDITION_FILENAME.into(),
            line,
            col,
            end_col,
            source_line: source.lines().nth(line.saturating_sub(1) as usize).unwrap_or("").to_string(),
        };
        if source.is_empty() {
            return Err(error("the condition is empty: write an expression such as counter < 4", 1, 1, 2));
        }
        let module = crate::syntax::parse(source, CONDITION_FILENAME)?;
        match module.body.as_slice() {
            [s] if matches!(s.kind, crate::syntax::ast::StmtKind::Expr(_)) => {}
            [s] => {
                let end = if s.span.end_line == s.span.line { s.span.end_col } else { s.span.col + 1 };
                let msg = match s.kind {
                    crate::syntax::ast::StmtKind::Assign { .. } => "the condition must be an expression, not an assignment (== compares, = assigns)",
                    _ => "the condition must be an expression, not a statement",
                };
                return Err(error(msg, s.span.line, s.span.col, end));
            }
            [_, s, ..] => return Err(error("the condition must be one expression", s.span.line, s.span.col, s.span.col + 1)),
            [] => return Err(error("the condition is empty: write an expression such as counter < 4", 1, 1, 2)),
        }
        let code = crate::compile::compile_expression(&module, source, CONDITION_FILENAME)?;
        Ok(Condition { source: Arc::from(source), code })
    }

    /// The expression as compiled (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// A syntax error in a condition on one line, with its place, e.g.
/// `SyntaxError: invalid syntax (line 1, column 9)`, for a message next to
/// an input field or after a command-line flag.
pub fn syntax_error_line(e: &SyntaxError) -> String {
    format!("{}: {} (line {}, column {})", e.kind.python_name(), e.msg, e.line, e.col)
}

impl Machine {
    /// Evaluates `cond` in the main module's globals and returns its truth
    /// (Python's `bool()` of the value), or the exception it raised as
    /// `Type: message` (e.g. `NameError: name 'x' is not defined`).
    ///
    /// Meant for a machine whose run ended (finished or deadlocked): see
    /// the [module docs](crate::condition) for what it leaves untouched.
    /// It never blocks (an operation that would block raises instead),
    /// prints nothing (output is discarded) and runs at most
    /// [`CONDITION_STEPS`] steps.
    pub fn eval_condition(&mut self, cond: &Condition) -> Result<bool, String> {
        let kernel = self.kernel.clone();
        let rec = std::mem::take(&mut self.rec);
        // A thread of its own, so that neither the exception state nor the
        // frames of a program thread (blocked ones, in a deadlock) are
        // touched.
        let tid = self.kernel.next_tid;
        let p = &mut self.procs[0];
        p.threads.push(Thread::new(tid, MAIN_PID, Arc::from("condition"), true, 0));
        let tix = p.threads.len() - 1;
        let globals = p.main_globals;
        let result = {
            let mut host = NullHost;
            let mut vm = self.vm(tix, &mut host);
            vm.max_steps = vm.k.steps.saturating_add(CONDITION_STEPS);
            // The Rust stack the evaluation may use is measured from here
            // (nested calls check it), as for a thread's outermost loop.
            let marker = 0u8;
            vm.stack_base = std::ptr::addr_of!(marker) as usize;
            let body = vm.alloc(Obj::Function(Arc::new(Function {
                name: Arc::from("<condition>"),
                qualname: Arc::from("<condition>"),
                code: cond.code.clone(),
                defaults: vec![],
                kwdefaults: vec![],
                closure: vec![],
                globals,
                owner: None,
                attrs: PyDict::new(),
            })));
            match vm.call_sync(body, vec![], vec![]).and_then(|v| crate::ops::truthy(&mut vm, &v)) {
                Ok(b) => Ok(b),
                Err(Flow::Raise(e)) => {
                    // Describing the exception may run its `__str__`: give
                    // it a fresh budget of its own.
                    vm.max_steps = vm.k.steps.saturating_add(CONDITION_STEPS);
                    Err(crate::traceback::exc_line(&mut vm, &e))
                }
                Err(Flow::Halt(Halt::Steps(_))) => Err(format!("the condition did not finish within {} steps", group(CONDITION_STEPS))),
                Err(Flow::Halt(Halt::Memory(_))) => Err("the condition used more memory than the memory budget".to_string()),
                Err(Flow::Halt(Halt::Stopped)) => Err("the condition was stopped".to_string()),
                Err(_) => Err("RuntimeError: the condition tried to block or switch threads".to_string()),
            }
        };
        self.procs[0].threads.retain(|t| t.tid != tid);
        self.kernel = kernel;
        self.rec = rec;
        result
    }
}
