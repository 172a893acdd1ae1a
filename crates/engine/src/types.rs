//! The builtin classes: value types (`int`, `str`, `list`, ...), the
//! exception hierarchy and the library classes of the stdlib modules.
//!
//! Each is a real class object on the heap (so `type(x)`, `isinstance`,
//! `issubclass`, `__name__` and subclassing all work), created when a
//! process starts and found again through [`Builtin`] as an index into the
//! process's class table.

use crate::object::NativeBase;

macro_rules! builtins {
    ($($v:ident = $name:literal, $module:literal, $parent:ident, $native:ident;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Builtin { $($v,)* }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$v,)*];
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$v => $name,)* }
            }
            pub fn module(self) -> &'static str {
                match self { $(Builtin::$v => $module,)* }
            }
            pub fn parent(self) -> Builtin {
                match self { $(Builtin::$v => Builtin::$parent,)* }
            }
            pub fn native(self) -> NativeBase {
                match self { $(Builtin::$v => NativeBase::$native,)* }
            }
        }
    };
}

builtins! {
    Object = "object", "builtins", Object, Object;
    Type = "type", "builtins", Object, Object;
    NoneType = "NoneType", "builtins", Object, Object;
    Bool = "bool", "builtins", Int, Object;
    Int = "int", "builtins", Object, Object;
    Float = "float", "builtins", Object, Object;
    Str = "str", "builtins", Object, Object;
    Bytes = "bytes", "builtins", Object, Object;
    List = "list", "builtins", Object, Object;
    Tuple = "tuple", "builtins", Object, Object;
    Dict = "dict", "builtins", Object, Object;
    Set = "set", "builtins", Object, Object;
    FrozenSet = "frozenset", "builtins", Object, Object;
    Range = "range", "builtins", Object, Object;
    Slice = "slice", "builtins", Object, Object;
    Function = "function", "builtins", Object, Object;
    BuiltinFunction = "builtin_function_or_method", "builtins", Object, Object;
    Method = "method", "builtins", Object, Object;
    Module = "module", "builtins", Object, Object;
    Generator = "generator", "builtins", Object, Object;
    Coroutine = "coroutine", "builtins", Object, Object;
    AsyncGenerator = "async_generator", "builtins", Object, Object;
    Iterator = "iterator", "builtins", Object, Object;
    Property = "property", "builtins", Object, Object;
    StaticMethod = "staticmethod", "builtins", Object, Object;
    ClassMethod = "classmethod", "builtins", Object, Object;
    Super = "super", "builtins", Object, Object;
    Cell = "cell", "builtins", Object, Object;
    DictKeys = "dict_keys", "builtins", Object, Object;
    DictValues = "dict_values", "builtins", Object, Object;
    DictItems = "dict_items", "builtins", Object, Object;
    NotImplementedType = "NotImplementedType", "builtins", Object, Object;
    EllipsisType = "ellipsis", "builtins", Object, Object;
    Partial = "partial", "functools", Object, Object;
    Deque = "deque", "collections", Object, Object;
    DefaultDict = "defaultdict", "collections", Dict, Object;
    OrderedDict = "OrderedDict", "collections", Dict, Object;
    Counter = "Counter", "collections", Dict, Object;
    BaseException = "BaseException", "builtins", Object, Exception;
    SystemExit = "SystemExit", "builtins", BaseException, Exception;
    KeyboardInterrupt = "KeyboardInterrupt", "builtins", BaseException, Exception;
    GeneratorExit = "GeneratorExit", "builtins", BaseException, Exception;
    Exception = "Exception", "builtins", BaseException, Exception;
    StopIteration = "StopIteration", "builtins", Exception, Exception;
    StopAsyncIteration = "StopAsyncIteration", "builtins", Exception, Exception;
    ArithmeticError = "ArithmeticError", "builtins", Exception, Exception;
    ZeroDivisionError = "ZeroDivisionError", "builtins", ArithmeticError, Exception;
    OverflowError = "OverflowError", "builtins", ArithmeticError, Exception;
    AssertionError = "AssertionError", "builtins", Exception, Exception;
    AttributeError = "AttributeError", "builtins", Exception, Exception;
    LookupError = "LookupError", "builtins", Exception, Exception;
    IndexError = "IndexError", "builtins", LookupError, Exception;
    KeyError = "KeyError", "builtins", LookupError, Exception;
    NameError = "NameError", "builtins", Exception, Exception;
    UnboundLocalError = "UnboundLocalError", "builtins", NameError, Exception;
    RuntimeError = "RuntimeError", "builtins", Exception, Exception;
    RecursionError = "RecursionError", "builtins", RuntimeError, Exception;
    NotImplementedError = "NotImplementedError", "builtins", RuntimeError, Exception;
    TypeError = "TypeError", "builtins", Exception, Exception;
    ValueError = "ValueError", "builtins", Exception, Exception;
    UnicodeError = "UnicodeError", "builtins", ValueError, Exception;
    UnicodeDecodeError = "UnicodeDecodeError", "builtins", UnicodeError, Exception;
    UnicodeEncodeError = "UnicodeEncodeError", "builtins", UnicodeError, Exception;
    ImportError = "ImportError", "builtins", Exception, Exception;
    ModuleNotFoundError = "ModuleNotFoundError", "builtins", ImportError, Exception;
    OSError = "OSError", "builtins", Exception, Exception;
    TimeoutError = "TimeoutError", "builtins", OSError, Exception;
    FileNotFoundError = "FileNotFoundError", "builtins", OSError, Exception;
    FileExistsError = "FileExistsError", "builtins", OSError, Exception;
    IsADirectoryError = "IsADirectoryError", "builtins", OSError, Exception;
    ChildProcessError = "ChildProcessError", "builtins", OSError, Exception;
    ProcessLookupError = "ProcessLookupError", "builtins", OSError, Exception;
    BlockingIOError = "BlockingIOError", "builtins", OSError, Exception;
    InterruptedError = "InterruptedError", "builtins", OSError, Exception;
    ConnectionError = "ConnectionError", "builtins", OSError, Exception;
    BrokenPipeError = "BrokenPipeError", "builtins", ConnectionError, Exception;
    ConnectionAbortedError = "ConnectionAbortedError", "builtins", ConnectionError, Exception;
    ConnectionRefusedError = "ConnectionRefusedError", "builtins", ConnectionError, Exception;
    ConnectionResetError = "ConnectionResetError", "builtins", ConnectionError, Exception;
    EOFError = "EOFError", "builtins", Exception, Exception;
    MemoryError = "MemoryError", "builtins", Exception, Exception;
    BufferError = "BufferError", "builtins", Exception, Exception;
    Warning = "Warning", "builtins", Exception, Exception;
    JSONDecodeError = "JSONDecodeError", "json.decoder", ValueError, Exception;
    QueueEmpty = "Empty", "_queue", Exception, Exception;
    QueueFull = "Full", "queue", Exception, Exception;
    BrokenBarrierError = "BrokenBarrierError", "threading", RuntimeError, Exception;
    Thread = "Thread", "threading", Object, Thread;
    Timer = "Timer", "threading", Thread, Timer;
    Lock = "lock", "_thread", Object, Lock;
    RLock = "RLock", "_thread", Object, RLock;
    Semaphore = "Semaphore", "threading", Object, Semaphore;
    BoundedSemaphore = "BoundedSemaphore", "threading", Semaphore, BoundedSemaphore;
    Event = "Event", "threading", Object, Event;
    Condition = "Condition", "threading", Object, Condition;
    Barrier = "Barrier", "threading", Object, Barrier;
    Queue = "Queue", "queue", Object, Queue;
    LifoQueue = "LifoQueue", "queue", Queue, LifoQueue;
    PriorityQueue = "PriorityQueue", "queue", Queue, PriorityQueue;
    SimpleQueue = "SimpleQueue", "_queue", Object, SimpleQueue;
    Local = "local", "_thread", Object, Local;
    Datetime = "datetime", "datetime", Object, Object;
    Timedelta = "timedelta", "datetime", Object, Object;
}

impl Builtin {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_exception(self) -> bool {
        self.native() == NativeBase::Exception
    }
}
