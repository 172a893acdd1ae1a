# interleave: deterministic
# Lists are mutable sequences. Methods like append, extend, insert, pop,
# remove, sort and reverse change the list in place (and return None).

nums = [5, 3, 8]
nums.append(1)
nums.extend([9, 2])
nums.insert(0, 7)
print(nums)
print(nums.pop(), nums.pop(0), nums)
nums.remove(8)
print(nums, nums.index(3), nums.count(3))
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
nums.reverse()
print(nums, sorted(nums, reverse=True))
print(nums[1:3], nums[::2], nums[-2:])
nums[1:3] = ["a", "b", "c"]
print(nums, len(nums))
copy = nums.copy()
copy.clear()
print(copy, nums)
print([1, 2] + [3], [0] * 4, [[1, 2], "x", None, True, 2.5])
print(sum([1, 2, 3]), min([4, 2, 9]), max([4, 2, 9]))
del nums[0]
print(nums)
