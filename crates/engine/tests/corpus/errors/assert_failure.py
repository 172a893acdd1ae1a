# interleave: error
# `assert condition, message` checks something that must be true. If it is
# false, AssertionError is raised with your message. Asserts are for
# catching bugs in your own code, not for validating user input.

def withdraw(balance, amount):
    new_balance = balance - amount
    assert new_balance >= 0, f"balance would be {new_balance}"
    return new_balance

print(withdraw(100, 30))
print(withdraw(100, 130))
