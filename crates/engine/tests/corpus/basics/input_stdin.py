# interleave: deterministic
# input() reads one line from standard input, without the newline.
# The text always comes back as a str, so convert numbers with int().
# (This program's input comes from input_stdin.stdin.)

name = input("What is your name? ")
count = int(input("How many numbers? "))
numbers = []
for i in range(count):
    numbers.append(int(input()))
print()
print(f"Hello, {name}! You gave {numbers}.")
print("sum =", sum(numbers), "max =", max(numbers))
