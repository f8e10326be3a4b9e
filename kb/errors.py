"""Errors the user can act on. The CLI prints their message as one line, never a traceback."""


class KbError(Exception):
    """Base of all user-facing errors; `str(err)` is the one line the user sees."""


class UsageError(KbError):
    """The user asked for something that cannot be done as asked (unknown person, bad date…)."""
