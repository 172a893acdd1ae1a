# errno: Linux's error numbers, those the virtual kernel raises and a few
# more a program may compare with, and errorcode (number -> name).

EPERM = 1
ENOENT = 2
ESRCH = 3
EINTR = 4
EBADF = 9
ECHILD = 10
EAGAIN = 11
EWOULDBLOCK = 11
ENOMEM = 12
EACCES = 13
EEXIST = 17
EISDIR = 21
EINVAL = 22
EPIPE = 32
EAFNOSUPPORT = 97
EADDRINUSE = 98
EADDRNOTAVAIL = 99
ECONNABORTED = 103
ECONNRESET = 104
EISCONN = 106
ENOTCONN = 107
ETIMEDOUT = 110
ECONNREFUSED = 111
EALREADY = 114
EINPROGRESS = 115

errorcode = {}
for _name, _value in list(globals().items()):
    if _name.startswith("E") and isinstance(_value, int) and _name != "EWOULDBLOCK":
        errorcode[_value] = _name
