"""Logs that carry no personal data, and a request id that ties a 500 page to its log entry.

Three things keep names, emails and notes out of the server log (config/settings.py LOGGING):

- `SafeFormatter` writes a traceback's frames (file, line, function, source line) but withholds
  every exception's message: messages quote data (a ProtectedError lists the rows it protects,
  an IntegrityError the values it refused), frames only quote code. Local variables are never
  written; nothing here captures them.
- Django's own handlers are replaced: no error email to ADMINS (it carries the request's POST
  data and every frame's local variables), nothing but our console handler.
- `RequestIdFilter` stamps each record with the id of the request being served, which
  `RequestIdMiddleware` assigns, sends back in `X-Request-ID` and the 500 page shows: a person
  can quote it, and the operator finds the traceback by it.
"""

from __future__ import annotations

import contextvars
import logging
import traceback

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

WITHHELD = "[message withheld: it may quote personal data]"


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record ("-" outside a request: the worker, the CLI)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class SafeFormatter(logging.Formatter):
    """Format records with tracebacks whose exception messages are withheld."""

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        chain, seen, error = [], set(), ei[1]
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            chain.append(error)
            error = error.__cause__ or error.__context__
        lines: list[str] = []
        for error in reversed(chain):
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(error.__traceback__))
            kind = type(error)
            lines.append(f"{kind.__module__}.{kind.__qualname__}: {WITHHELD}\n")
        return "".join(lines).rstrip("\n")

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # never reuse a traceback another formatter wrote in full
        return super().format(record)
