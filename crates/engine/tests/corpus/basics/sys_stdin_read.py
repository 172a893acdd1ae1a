# interleave: deterministic
# sys.stdin reads standard input too: readline() keeps the newline and
# gives "" at the end (input() strips it and raises EOFError there),
# readlines() and read() take everything that is left.
# (This program's input comes from sys_stdin_read.stdin.)
import sys

first = sys.stdin.readline()
print(repr(first))
second = input()
print(repr(second))
rest = sys.stdin.readlines()
print(rest)
print(repr(sys.stdin.read()), repr(sys.stdin.readline()))
try:
    input()
except EOFError as e:
    print("EOFError:", e)
