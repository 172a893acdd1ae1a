# gevent.monkey, for `import gevent.monkey` and `from gevent.monkey import
# patch_all`: the functions of gevent.py's `monkey` (see gevent.py).


def patch_all(**kwargs):
    import gevent
    gevent._patch_all(**kwargs)


def patch_time():
    import gevent
    gevent._patch_all()


def patch_socket(*args, **kwargs):
    import gevent
    gevent._patch_socket()


def patch_thread(*args, **kwargs):
    pass


def is_module_patched(name):
    import gevent
    return gevent.monkey.is_module_patched(name)
