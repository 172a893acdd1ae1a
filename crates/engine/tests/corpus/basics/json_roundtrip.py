# interleave: deterministic
# json.dumps turns Python data into a JSON string; json.loads parses it
# back. Note: tuples become lists, True becomes true, None becomes null,
# and dict keys are always strings in JSON.

import json

record = {"name": "Ann", "age": 31, "tags": ("admin", "dev"), "active": True,
          "boss": None, "scores": {1: 9.5}}
text = json.dumps(record)
print(text)
back = json.loads(text)
print(back)
print(back == record, back["tags"], list(back["scores"].keys()))
print(json.dumps([1, "two", 3.0], indent=2))
print(json.dumps({"b": 1, "a": 2}, sort_keys=True))
print(json.dumps("中文"), json.dumps("中文", ensure_ascii=False))
print(json.loads('{"x": [1, 2, {"y": false}]}')["x"][2])
