# interleave: error
# Using a name that was never assigned raises NameError. The program stops
# at that line: everything printed before it still appears, nothing after.

prices = [3, 4, 5]
print("prices:", prices)
print("sum:", sum(prices))
print("average:", sum(prices) / quantity)
print("never printed")
