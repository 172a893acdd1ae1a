# interleave: deterministic
# Private names: self.__balance inside class Account is stored as
# _Account__balance (name mangling), as in CPython.
class Account:
    def __init__(self, owner, balance):
        self.owner = owner
        self.__balance = balance
    def deposit(self, n):
        self.__balance += n
        return self.__check()
    def __check(self):
        return self.__balance > 0
    @property
    def balance(self):
        return self.__balance
a = Account("ann", 10)
print(a.deposit(5), a.balance, a._Account__balance, vars(a))
try:
    print(a.__balance)
except AttributeError as e:
    print(e)
