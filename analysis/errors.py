"""The one exception type for bad input from a person (flags, files, parameters).

The command line turns it into one line on stderr and exit code 2, with no traceback.
It subclasses ValueError so that library callers can catch either.
"""


class InputError(ValueError):
    """Bad input: the message names the problem (field or file, value, what is valid)."""
