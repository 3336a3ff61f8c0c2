"""What the URL-permission test reads: the hand-written table, and each app's objects.

`tests/permission_table.txt` has one line per named URL saying what each role, the owner of
another organization and an anonymous visitor get from it (its header explains the columns).
Each app's tests folder may hold a `url_access.py` with

    def world(*, nutmeg, users_by_role, tenant_union, maria) -> dict:
        # create the objects the app's URLs point at; return their URL keyword arguments
        return {"person_id": maria.pk}

`tests/test_url_permissions.py` requests every URL and fails when a URL has no line in the
table or an answer differs from it.
"""

from dataclasses import dataclass
from pathlib import Path

from powerbase.core.models import Role

TABLE = Path(__file__).with_name("permission_table.txt")
# The table's columns after the URL name and method, and who each one is.
ROLE_COLUMNS = {
    "owner": Role.OWNER,
    "admin": Role.ADMIN,
    "organizer": Role.ORGANIZER,
    "data": Role.DATA,
    "lead": Role.AFFILIATE_LEAD,
    "leader": Role.LEADER,
    "viewer": Role.VIEWER,
}
COLUMNS = (*ROLE_COLUMNS, "other", "anon")
ANSWERS = frozenset({"200", "302", "400", "401", "403", "404", "405", "login"})


@dataclass(frozen=True)
class Row:
    """One URL's line: the method it is requested with and the answer expected per column."""

    method: str
    expected: dict[str, str]


def read_table(path: Path = TABLE) -> dict[str, Row]:
    """Return {URL name: Row} from the table; refuse a line that does not fit, naming it."""
    rows: dict[str, Row] = {}
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        name, *rest = text.split()
        where = f"{path.name} line {number} ({name})"
        if len(rest) != 1 + len(COLUMNS):
            raise ValueError(
                f"{where}: expected a method and {len(COLUMNS)} answers "
                f"({' '.join(COLUMNS)}), found {len(rest)} fields."
            )
        method, *answers = rest
        unknown = sorted(set(answers) - ANSWERS)
        if method not in ("get", "post") or unknown:
            raise ValueError(
                f"{where}: the method must be get or post and each answer one of "
                f"{' '.join(sorted(ANSWERS))}; found {method!r} {unknown}."
            )
        if name in rows:
            raise ValueError(f"{where}: {name} already has a line above.")
        rows[name] = Row(method, dict(zip(COLUMNS, answers, strict=True)))
    return rows
