# interleave: deterministic
# You can define your own exception classes by subclassing Exception.
# `except` clauses are tried in order, and catching a base class also
# catches its subclasses. `raise ... from ...` records the cause.

class BankError(Exception):
    pass

class InsufficientFunds(BankError):
    def __init__(self, needed):
        super().__init__(f"need {needed} more")
        self.needed = needed

def withdraw(balance, amount):
    if amount <= 0:
        raise ValueError("amount must be positive")
    if amount > balance:
        raise InsufficientFunds(amount - balance)
    return balance - amount

for amount in [30, 500, -1]:
    try:
        print("left:", withdraw(100, amount))
    except InsufficientFunds as e:
        print("InsufficientFunds:", e, e.needed)
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)

try:
    try:
        withdraw(10, 20)
    except BankError as e:
        raise RuntimeError("transfer failed") from e
except RuntimeError as e:
    print(e, "<- caused by", repr(e.__cause__))
print(isinstance(InsufficientFunds(1), BankError), str(BankError("plain")))
