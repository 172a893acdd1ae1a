if True:
	# tab-indented block
	x = 1
	if x:
		y = 2

def f(a,
      b):
        return (a
    + b)

class K:

    # comment at odd indentation
        # another

    def m(self): return [
        1,
  2,
    ]
s = '''
  not indentation
'''
t = "line \
continued"
if (x and
    y):
    pass
   # comment with odd indentation at the end
