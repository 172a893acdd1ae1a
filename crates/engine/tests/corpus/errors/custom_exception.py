# interleave: error
# Your own exception class works like the built-in ones. If nobody catches
# it, the program stops and the last line of the traceback shows the
# class name and the message.

class OutOfStock(Exception):
    pass

def order(item, stock):
    if stock.get(item, 0) == 0:
        raise OutOfStock(f"no {item} left")
    stock[item] -= 1
    return f"one {item}, please"

stock = {"tea": 1}
print(order("tea", stock))
print(order("tea", stock))
