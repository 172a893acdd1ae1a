# interleave: error
# Valid indexes of a list with n items are 0 .. n-1 (and -1 .. -n).
# Going one past the end is the classic off-by-one mistake: IndexError.

queue_of_people = ["Ann", "Bob", "Cy"]
for i in range(len(queue_of_people) + 1):
    print(i, queue_of_people[i])
