# interleave: deterministic needs=greenlet
# greenlet: coroutines that switch by hand. switch() starts a greenlet
# with its arguments, or resumes it, handing it a value; when one returns,
# its value goes to its parent. Unlike an async def, a greenlet can
# switch from deep inside functions it called. (Checked against CPython
# where the greenlet package is installed.)
from greenlet import greenlet, getcurrent, GreenletExit

def eat(name):
    print('%s eat 1' % name)
    got = g2.switch('egon')
    print('%s eat 2, got %r' % (name, got))
    g2.switch()
    print('never printed')

def play(name):
    print('%s play 1' % name)
    x = g1.switch(1, 2)
    print('%s play 2, got %r' % (name, x))
    return 'play result'

g1 = greenlet(eat)
g2 = greenlet(play)
r = g1.switch('egon')
print('back in main with', repr(r), g1.dead, g2.dead, bool(g1), bool(g2))
print(getcurrent().parent, g1.parent is getcurrent())

def gen_like():
    main = getcurrent().parent
    for i in range(3):
        main.switch(i)
    return 'done'

g = greenlet(gen_like)
print([g.switch() for _ in range(4)], g.dead)

def raiser():
    raise ValueError('inside')

try:
    greenlet(raiser).switch()
except ValueError as e:
    print('caught', e)

def catcher():
    try:
        getcurrent().parent.switch('waiting')
    except KeyError as e:
        print('catcher got', repr(e))
        return 'handled'

c = greenlet(catcher)
print(c.switch())
print(c.throw(KeyError('k')), c.dead)
k = greenlet(catcher)
k.switch()
print(repr(k.throw()), k.dead)
def nested():
    def inner():
        return getcurrent().parent.switch('from inner') + 1
    return inner() * 10
n = greenlet(nested)
print(n.switch(), n.switch(4), n.dead)
