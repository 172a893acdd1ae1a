# A small logging for Interleave, written in Python: levels, basicConfig,
# module-level helpers and named loggers, with the format fields tutorials
# use (threadName, levelname, name, message, asctime, thread, funcName is
# not tracked). Output goes to sys.stderr unless a stream is configured.
import sys
import threading
import time

CRITICAL = 50
FATAL = CRITICAL
ERROR = 40
WARNING = 30
WARN = WARNING
INFO = 20
DEBUG = 10
NOTSET = 0

_levelToName = {CRITICAL: 'CRITICAL', ERROR: 'ERROR', WARNING: 'WARNING', INFO: 'INFO', DEBUG: 'DEBUG', NOTSET: 'NOTSET'}
BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"


def getLevelName(level):
    return _levelToName.get(level, "Level %s" % level)


class LogRecord:
    def __init__(self, name, level, msg, args):
        self.name = name
        self.levelno = level
        self.levelname = getLevelName(level)
        self.msg = msg
        self.args = args
        # The time is read when a format asks for it (see Formatter.format):
        # reading the clock conflicts with every step of every other
        # thread, so the explorer would search each log call's every
        # order with everything else, for a value most formats never show.
        self.created = None
        self.msecs = None
        self.asctime = None
        t = threading.current_thread()
        self.threadName = t.name
        self.thread = threading.get_ident()
        self.process = 0
        self.processName = 'MainProcess'
        self.funcName = '<unknown>'
        self.lineno = 0
        self.module = '__main__'

    def _fields(self):
        # What a format's %(name)s fields read: CPython formats with the
        # record's __dict__. Named one by one here, because the explorer
        # reads this code (crates/explorer/src/frozen.rs), and a
        # `__dict__` anywhere makes it assume that any code can change any
        # attribute of any object, in every program that imports logging.
        return {'name': self.name, 'levelno': self.levelno, 'levelname': self.levelname, 'msg': self.msg,
                'args': self.args, 'created': self.created, 'msecs': self.msecs, 'threadName': self.threadName,
                'thread': self.thread, 'process': self.process, 'processName': self.processName,
                'funcName': self.funcName, 'lineno': self.lineno, 'module': self.module,
                'message': self.message, 'asctime': self.asctime}

    def getMessage(self):
        msg = str(self.msg)
        if self.args:
            msg = msg % self.args
        return msg


class Formatter:
    def __init__(self, fmt=None, datefmt=None, style='%'):
        self._fmt = fmt or "%(message)s"
        self.datefmt = datefmt
        self.style = style

    def formatTime(self, record, datefmt=None):
        if datefmt:
            return time.strftime(datefmt, record.created)
        return time.strftime("%Y-%m-%d %H:%M:%S", record.created) + ",%03d" % record.msecs

    def usesTime(self):
        return any(('%(' + k + ')' if self.style == '%' else '{' + k) in self._fmt
                   for k in ('asctime', 'created', 'msecs'))

    def format(self, record):
        record.message = record.getMessage()
        if self.usesTime():
            record.created = time.time()
            record.msecs = int((record.created - int(record.created)) * 1000)
            record.asctime = self.formatTime(record, self.datefmt)
        if self.style == '{':
            return self._fmt.format(**record._fields())
        return self._fmt % record._fields()


class StreamHandler:
    def __init__(self, stream=None):
        self.stream = stream
        self.formatter = None
        self.level = NOTSET

    def setFormatter(self, fmt):
        self.formatter = fmt

    def setLevel(self, level):
        self.level = level

    def emit(self, record):
        fmt = self.formatter or Formatter(BASIC_FORMAT)
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(fmt.format(record) + "\n")


class Logger:
    def __init__(self, name, level=NOTSET):
        self.name = name
        self.level = level
        self.handlers = []
        self.parent = None
        self.propagate = True

    def setLevel(self, level):
        self.level = level

    def getEffectiveLevel(self):
        logger = self
        while logger is not None:
            if logger.level:
                return logger.level
            logger = logger.parent
        return NOTSET

    def isEnabledFor(self, level):
        return level >= self.getEffectiveLevel()

    # A new list each time, not append() and remove(): a call of a method
    # with a list method's name, in code the program imports, makes the
    # explorer treat every list of the program as changing (frozen.rs).
    def addHandler(self, h):
        if h not in self.handlers:
            self.handlers = self.handlers + [h]

    def removeHandler(self, h):
        if h in self.handlers:
            self.handlers = [x for x in self.handlers if x is not h]

    def log(self, level, msg, *args, **kwargs):
        if not self.isEnabledFor(level):
            return
        record = LogRecord(self.name, level, msg, args)
        logger = self
        while logger is not None:
            for h in logger.handlers:
                if record.levelno >= h.level:
                    h.emit(record)
            if not logger.propagate:
                break
            logger = logger.parent

    def debug(self, msg, *args, **kwargs):
        self.log(DEBUG, msg, *args)

    def info(self, msg, *args, **kwargs):
        self.log(INFO, msg, *args)

    def warning(self, msg, *args, **kwargs):
        self.log(WARNING, msg, *args)

    warn = warning

    def error(self, msg, *args, **kwargs):
        self.log(ERROR, msg, *args)

    def exception(self, msg, *args, **kwargs):
        self.log(ERROR, msg, *args)

    def critical(self, msg, *args, **kwargs):
        self.log(CRITICAL, msg, *args)


root = Logger("root", WARNING)
_loggers = {}


def getLogger(name=None):
    if not name or name == "root":
        return root
    if name not in _loggers:
        logger = Logger(name)
        logger.parent = root
        # (Not `_loggers[name] = logger`: to the explorer, an item store
        # in imported code could be a list's, see addHandler.)
        _loggers.setdefault(name, logger)
    return _loggers[name]


def basicConfig(**kwargs):
    if root.handlers and not kwargs.get('force', False):
        return
    root.handlers = []
    handler = StreamHandler(kwargs.get('stream'))
    handler.setFormatter(Formatter(kwargs.get('format', BASIC_FORMAT), kwargs.get('datefmt'), kwargs.get('style', '%')))
    root.addHandler(handler)
    if 'level' in kwargs:
        root.setLevel(kwargs['level'])


def _ensure_handler():
    if not root.handlers:
        basicConfig()


def log(level, msg, *args, **kwargs):
    _ensure_handler()
    root.log(level, msg, *args)


def debug(msg, *args, **kwargs):
    _ensure_handler()
    root.debug(msg, *args)


def info(msg, *args, **kwargs):
    _ensure_handler()
    root.info(msg, *args)


def warning(msg, *args, **kwargs):
    _ensure_handler()
    root.warning(msg, *args)


warn = warning


def error(msg, *args, **kwargs):
    _ensure_handler()
    root.error(msg, *args)


def exception(msg, *args, **kwargs):
    _ensure_handler()
    root.error(msg, *args)


def critical(msg, *args, **kwargs):
    _ensure_handler()
    root.critical(msg, *args)
