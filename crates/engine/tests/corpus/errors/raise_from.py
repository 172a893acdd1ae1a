# interleave: error
# `raise NewError(...) from err` wraps a low-level error in a clearer one.
# The traceback shows both, linked by "The above exception was the direct
# cause of the following exception"; the last line is the new error.

import json

def load_settings(text):
    try:
        return json.loads(text)
    except ValueError as err:
        raise RuntimeError("settings are not valid JSON") from err

print(load_settings('{"debug": true}'))
print(load_settings("{debug: true}"))
