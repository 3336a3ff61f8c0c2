"""Sample values of each column, and a better proposal for the columns they explain.

    samples = column_samples(table)       # {"Phone": ["203-555-0100", "n/a", ...], ...}
    mapping = refine_proposal(mapping, samples, for_affiliate=True)

The mapping page shows three values under each column and what each would become, so a
person choosing a field sees the data, not only a header. The samples also tell what a column
the names could not place holds: a column of yes/no answers ("Shop Steward?") becomes a tag
on the rows that say yes; a "Dues paid" column, or "Member since" on the organization's own
list (which has no affiliate membership to date), becomes a field of the organization's own.
"""

from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import normalize_consent, parse_date
from powerbase.imports.placeholders import is_placeholder
from powerbase.imports.reading import Table, cell_text
from powerbase.imports.vocabularies import vocabulary_key

SAMPLES_PER_COLUMN = 3
ROWS_SCANNED = 2000
# A mapping value that asks for a new field of the organization's own, named after the column.
NEW_FIELD_PREFIX = "new:"
NEW_FIELD_KINDS = {"text": "text", "number": "number", "date": "date", "yesno": "yes or no"}
_DUES_WORDS = ("dues", "paid", "payment", "initiation")


def column_samples(table: Table) -> dict[str, list[str]]:
    """Return up to three distinct, non-empty values per column from the first rows."""
    samples: dict[str, list[str]] = {name: [] for name in table.header}
    wanted = len(table.header) * SAMPLES_PER_COLUMN
    found = 0
    for count, row in enumerate(table.rows()):
        for name, cell in zip(table.header, row.cells, strict=False):
            text = cell_text(cell).strip()[:80]
            values = samples[name]
            if text and len(values) < SAMPLES_PER_COLUMN and text not in values:
                values.append(text)
                found += 1
        if found >= wanted or count >= ROWS_SCANNED:
            break
    return samples


def kind_of(values: list[str]) -> str:
    """Guess what a column holds from its samples: yesno, date, number or text."""
    values = [value for value in values if not is_placeholder(value)]
    if not values:
        return "text"
    for kind, test in (("yesno", normalize_consent), ("number", _number), ("date", parse_date)):
        try:
            for value in values:
                test(value)
        except (InvalidValue, ValueError):
            continue
        return kind
    return "text"


def refine_proposal(
    mapping: dict, samples: dict[str, list[str]], *, for_affiliate: bool, new_fields: bool = True
) -> dict:
    """Give a place to columns the header alone could not: yes/no tags, dues, member since.

    *new_fields* False (the command line, where nobody confirms a new field) proposes no new
    fields of the organization's own.
    """
    refined = dict(mapping)
    for column, target in mapping.items():
        values = samples.get(column, [])
        key = vocabulary_key(column)
        if target == "affiliate_since" and not for_affiliate:
            refined[column] = f"{NEW_FIELD_PREFIX}date" if new_fields else None
        elif target is None and new_fields and any(word in key for word in _DUES_WORDS):
            refined[column] = f"{NEW_FIELD_PREFIX}{kind_of(values)}"
        elif target is None and values and kind_of(values) == "yesno":
            refined[column] = "tag_if_yes"
    return refined


def _number(value: str) -> float:
    text = value.replace(",", "").replace("$", "").strip()
    if text.lower() in ("inf", "nan", "infinity") or not text:
        raise ValueError(value)
    return float(text)
