"""The consoles every command prints through.

On a terminal Rich fits tables and messages to the window. Piped into a file, a pager or a test
runner there is no window, and Rich would fall back to 80 columns: URLs, file paths and version
labels would be cut short or broken across lines. Piped output is given room instead.
"""

import sys

from rich.console import Console

PIPED_WIDTH = 200


def _width_for(stream) -> int | None:
    """None lets Rich measure a terminal; anything else is printed at PIPED_WIDTH."""
    isatty = getattr(stream, "isatty", None)
    return None if isatty is not None and isatty() else PIPED_WIDTH


def make_console(*, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console for standard output (or error) that never cuts piped output at 80 columns."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, soft_wrap=soft_wrap, width=_width_for(stream))
