# interleave: error
# Looking up a missing key with d[key] raises KeyError (its message is the
# key's repr). Use d.get(key) or `key in d` when the key may be missing.

stock = {"apple": 5, "pear": 2}
print("pears:", stock["pear"])
print("bananas:", stock.get("banana", 0))
print("bananas:", stock["banana"])
