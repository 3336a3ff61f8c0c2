"""The errors powerbase raises on purpose, in one hierarchy.

    PowerbaseError                  anything we raise deliberately; .message is for a person
    ├── NotFound                    missing *or* not yours: the two look the same (also Http404)
    ├── PermissionDenied            you may see this, but your role may not do that (also 403)
    │   └── LimitReached            ... this much of it, or this often (row caps, rate limits)
    ├── TwoFactorRequired           your organization requires two-factor sign-in for your role
    ├── InvalidInput                a form, command or file said something we cannot accept
    │   └── RowError                ... at a given file, row and column
    └── Conflict                    someone else changed it first, or the change breaks a rule

Views turn NotFound into 404 and PermissionDenied into 403 (they subclass Django's); the CLI
prints `.message` and exits non-zero; a job stores `.message` as the error its starter sees.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404


class PowerbaseError(Exception):
    """Base of every error raised on purpose. `message` is a full sentence for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(PowerbaseError, Http404):
    """The object does not exist, or exists in a place the actor may not see."""

    def __init__(self, what: str = "That page"):
        super().__init__(f"{what} was not found, or you do not have access to it.")


class PermissionDenied(PowerbaseError, DjangoPermissionDenied):
    """The actor may see the organization but their role does not allow this."""

    def __init__(self, permission: str, role_label: str):
        self.permission = permission
        super().__init__(
            f"Your role ({role_label}) does not allow this ({permission}). "
            "Ask an admin of the organization if you need it."
        )


class LimitReached(PermissionDenied):
    """The role may do this, but not this much at once or this often; the message says why."""

    def __init__(self, message: str):
        PowerbaseError.__init__(self, message)


class TwoFactorRequired(PowerbaseError):
    """The organization requires two-factor sign-in for the actor's role."""


class InvalidInput(PowerbaseError):
    """Input we cannot accept; the message says what was expected and what came.

    `field` names the form field at fault, when there is one, so a web form can show the
    message next to it (see `powerbase.core.forms.save_or_add_errors`).
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class RowError(InvalidInput):
    """Bad input at a known place in a file."""

    def __init__(self, *, file: str, row: int, column: str, problem: str):
        self.file, self.row, self.column, self.problem = file, row, column, problem
        super().__init__(f"{file}, row {row}, column '{column}': {problem}")


class Conflict(PowerbaseError):
    """The change cannot be made: someone changed the record first, or a rule forbids it.

    `field` names the form field at fault when there is one (a name already taken), as for
    `InvalidInput`.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
