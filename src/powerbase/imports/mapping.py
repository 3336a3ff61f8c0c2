"""Decide which column of a file feeds which powerbase field.

A mapping is a plain dict from column name (as in the file's first row) to a field key, or to
None for a column that is not imported:

    {"First Name": "given_name", "Cell": "mobile_phone", "Shoe size": None}

so it can be shown in a form, saved as JSON "for next time" and loaded again. `propose_mapping`
guesses one from the header; `apply_saved_mapping` reuses a saved one on a new file;
`check_mapping` refuses one a person edited into something unusable, listing every problem.

Column names are compared without regard to case, spaces or punctuation, so "E-mail Address",
"email_address" and "EMAIL ADDRESS" are the same. A name also matches after dropping a number
("Phone 2") or a qualifier in front ("Primary email", "Personal email", "Home address").
"""

import difflib
import json
from dataclasses import dataclass

from powerbase.imports.errors import MappingRefused
from powerbase.imports.vocabularies import vocabulary_key

Mapping = dict[str, str | None]


@dataclass(frozen=True)
class Field:
    """A powerbase field a column can feed."""

    key: str
    label: str
    many: bool = False  # several columns may feed it (two email columns, three phones)


FIELDS = {
    field.key: field
    for field in [
        Field("given_name", "First name"),
        Field("middle_name", "Middle name"),
        Field("family_name", "Last name"),
        Field("suffix", "Suffix"),
        Field("preferred_name", "Preferred name"),
        Field("full_name", "Full name (split into parts)"),
        Field("birth_date", "Birth date"),
        Field("email", "Email", many=True),
        Field("phone", "Phone", many=True),
        Field("mobile_phone", "Mobile phone", many=True),
        Field("landline_phone", "Landline phone", many=True),
        Field("home_phone", "Home phone", many=True),
        Field("work_phone", "Work phone", many=True),
        Field("sms_consent", "Consents to text messages"),
        Field("email_consent", "Consents to email"),
        Field("address", "Full address (one line)", many=True),
        Field("street", "Street address"),
        Field("street2", "Apartment or unit"),
        Field("city", "City"),
        Field("state", "State"),
        Field("zip", "ZIP code"),
        Field("languages", "Languages", many=True),
        Field("race_ethnicity", "Race and ethnicity", many=True),
        Field("gender", "Gender identity"),
        Field("pronouns", "Pronouns"),
        Field("tags", "Tags", many=True),
        Field("tag_if_yes", "Tag named after the column, on rows that say yes", many=True),
        Field("notes", "Notes", many=True),
        Field("column_note", "Note, written as 'Column: value'", many=True),
        Field("external_id", "External id (member number)"),
        Field("affiliate_role", "Role in the affiliate"),
        Field("affiliate_since", "Member of the affiliate since"),
        Field("affiliate_status", "Membership status"),
    ]
}

# Fields that say who a row is about; a mapping needs at least one.
IDENTIFYING_FIELDS = (
    "given_name",
    "family_name",
    "full_name",
    "email",
    "phone",
    "mobile_phone",
    "landline_phone",
    "home_phone",
    "work_phone",
    "external_id",
)
_ADDRESS_PARTS = ("street2", "city", "state", "zip")

# Column names people use, by field. English first, then common Spanish ones.
SYNONYMS = {
    "given_name": [
        "First",
        "First name",
        "Fname",
        "Given name",
        "Given",
        "Forename",
        "Name first",
        "Nombre",
        "Primer nombre",
    ],
    "middle_name": ["Middle", "Middle name", "Mname", "Middle initial", "MI"],
    "family_name": [
        "Last",
        "Last name",
        "Lname",
        "Surname",
        "Family name",
        "Family",
        "Name last",
        "Apellido",
        "Apellidos",
    ],
    "suffix": ["Suffix", "Name suffix", "Sfx"],
    "preferred_name": [
        "Preferred",
        "Preferred name",
        "Nickname",
        "Nick",
        "Goes by",
        "Known as",
        "Chosen name",
        "Preferred first name",
    ],
    "full_name": [
        "Name",
        "Full name",
        "Contact name",
        "Member name",
        "Person",
        "Person name",
        "Nombre completo",
    ],
    "birth_date": [
        "DOB",
        "Birthdate",
        "Birth date",
        "Date of birth",
        "Birthday",
        "Bday",
        "Born",
        "Fecha de nacimiento",
    ],
    "email": ["Email", "E-mail", "Email address", "Mail", "Correo", "Correo electronico"],
    "phone": ["Phone", "Phone number", "Telephone", "Tel", "Contact phone", "Telefono"],
    "mobile_phone": [
        "Cell",
        "Cell phone",
        "Mobile",
        "Mobile phone",
        "Cell number",
        "Mobile number",
        "Celular",
        "Text number",
    ],
    "landline_phone": ["Landline", "Landline phone"],
    "home_phone": ["Home phone", "Home number", "House phone"],
    "work_phone": ["Work phone", "Work number", "Office phone", "Business phone"],
    "sms_consent": [
        "SMS consent",
        "SMS opt in",
        "SMS",
        "Text opt in",
        "OK to text",
        "Can text",
        "Text OK",
        "Text consent",
        "SMS status",
        "SMS permission",
    ],
    "email_consent": [
        "Email consent",
        "Email opt in",
        "OK to email",
        "Can email",
        "Email OK",
        "Email permission",
        "Email subscriber",
    ],
    "address": [
        "Address",
        "Full address",
        "Mailing address",
        "Home address",
        "Street and city",
        "Direccion",
    ],
    "street": [
        "Street",
        "Street address",
        "Address 1",
        "Address line 1",
        "Line 1",
        "Street 1",
        "Addr1",
    ],
    "street2": [
        "Address 2",
        "Address line 2",
        "Line 2",
        "Street 2",
        "Addr2",
        "Apt",
        "Apartment",
        "Unit",
        "Suite",
        "Apt unit",
        "Apt/Unit",
    ],
    "city": ["City", "Town", "Municipality", "Locality", "Ciudad"],
    "state": ["State", "ST", "State/Province", "Province", "Estado"],
    "zip": [
        "Zip",
        "Zip code",
        "Zipcode",
        "Postcode",
        "Postal code",
        "Zip5",
        "Postal",
        "Codigo postal",
    ],
    "languages": [
        "Language",
        "Languages",
        "Preferred language",
        "Primary language",
        "Lang",
        "Languages spoken",
        "Spoken languages",
        "Idioma",
    ],
    "race_ethnicity": [
        "Race",
        "Ethnicity",
        "Race/ethnicity",
        "Race and ethnicity",
        "Raza",
        "Etnia",
    ],
    "gender": ["Gender", "Sex", "Gender identity", "Genero"],
    "pronouns": ["Pronouns", "Pronoun", "Personal pronouns"],
    "tags": ["Tags", "Tag", "Labels", "Groups", "Keywords", "Categories"],
    "notes": ["Notes", "Note", "Comments", "Comment", "Remarks", "Memo", "Notas"],
    "external_id": [
        "External id",
        "Member id",
        "Member number",
        "Membership number",
        "Employee id",
        "ID",
        "VANID",
        "VAN id",
        "Person id",
        "Contact id",
        "Record id",
        "Badge",
        "Badge number",
        "Union id",
        "ID number",
    ],
    "affiliate_role": ["Role", "Member role", "Position"],
    "affiliate_since": [
        "Since",
        "Member since",
        "Join date",
        "Joined",
        "Date joined",
        "Start date",
        "Membership start",
    ],
    "affiliate_status": ["Status", "Member status", "Membership status", "Standing"],
}
_SYNONYM_KEYS = {vocabulary_key(name): key for key, names in SYNONYMS.items() for name in names}
_QUALIFIERS = (
    "primary",
    "personal",
    "secondary",
    "alternate",
    "alt",
    "other",
    "main",
    "best",
    "preferred",
    "home",
    "work",
    "mailing",
    "contact",
    "member",
)
_TRAILING_WORDS = ("number", "num", "no")


def field_for_column(name: str) -> str | None:
    """Return the field key a column name suggests, or None."""
    key = vocabulary_key(name)
    candidates = [key, key.rstrip("0123456789")]
    for qualifier in _QUALIFIERS:
        if key.startswith(qualifier) and len(key) > len(qualifier):
            candidates.append(key[len(qualifier) :].rstrip("0123456789"))
    for word in _TRAILING_WORDS:
        candidates += [
            candidate.removesuffix(word)
            for candidate in list(candidates)
            if candidate.endswith(word) and candidate != word
        ]
    for candidate in candidates:
        if candidate in _SYNONYM_KEYS:
            return _SYNONYM_KEYS[candidate]
    return None


def propose_mapping(header: tuple[str, ...] | list[str]) -> Mapping:
    """Return a mapping for every column of *header*: a field key, or None when none fits.

    A single-valued field goes to the first column that suggests it. A column named just
    "Address" next to City/State/ZIP columns is the street line, not a whole address.
    """
    mapping: Mapping = {}
    taken: set[str] = set()
    for name in header:
        key = field_for_column(name)
        if key is not None and not FIELDS[key].many and key in taken:
            key = None
        mapping[name] = key
        if key:
            taken.add(key)
    return _street_from_address(mapping)


def _street_from_address(mapping: Mapping) -> Mapping:
    addresses = [name for name, key in mapping.items() if key == "address"]
    parts = any(key in _ADDRESS_PARTS for key in mapping.values())
    if len(addresses) == 1 and parts and "street" not in mapping.values():
        mapping[addresses[0]] = "street"
    return mapping


def apply_saved_mapping(header: tuple[str, ...] | list[str], saved: Mapping) -> Mapping:
    """Return a mapping for *header* that follows *saved* where their columns match.

    Columns are matched without regard to case, spaces or punctuation; columns the saved
    mapping does not know are proposed afresh, and saved columns the file lacks are dropped.
    """
    saved_by_key = {vocabulary_key(name): key for name, key in saved.items()}
    proposed = propose_mapping(header)
    mapping: Mapping = {}
    for name in header:
        key = vocabulary_key(name)
        mapping[name] = saved_by_key[key] if key in saved_by_key else proposed[name]
    # A proposal must not take a single-valued field the saved mapping gives another column.
    counts: dict[str, int] = {}
    for name in header:
        field_key = mapping[name]
        if field_key in FIELDS and not FIELDS[field_key].many:
            counts[field_key] = counts.get(field_key, 0) + 1
            if counts[field_key] > 1 and vocabulary_key(name) not in saved_by_key:
                mapping[name] = None
    return mapping


def unmapped_columns(mapping: Mapping) -> list[str]:
    """Return the columns that will not be imported, in file order."""
    return [name for name, key in mapping.items() if key is None]


def check_mapping(header: tuple[str, ...] | list[str], mapping: object) -> Mapping:
    """Return *mapping* completed for every column of *header*, or raise MappingRefused.

    Refuses: a value that is not a mapping of names to field keys, a column the file does not
    have, a field key powerbase does not know, two columns for a field that holds one value,
    and a mapping with no column saying who a row is about.
    """
    if not isinstance(mapping, dict) or not all(
        isinstance(name, str) and (key is None or isinstance(key, str))
        for name, key in mapping.items()
    ):
        raise MappingRefused(
            [
                "A column mapping must pair each column name with a field name "
                '(or with nothing), for example {"First Name": "given_name"}.'
            ]
        )
    problems = []
    columns = set(header)
    for name, key in mapping.items():
        if name not in columns:
            problems.append(f"The mapping names column '{name}', which this file does not have.")
        elif key is not None and key not in FIELDS:
            problems.append(_unknown_field_problem(name, key))
    complete: Mapping = {name: mapping.get(name) for name in header}
    complete = {name: key if key in FIELDS else None for name, key in complete.items()}
    problems += _double_mapped_problems(complete)
    if not any(key in IDENTIFYING_FIELDS for key in complete.values()):
        problems.append(
            "No column is mapped to a name, email, phone or external id, so no row "
            "could say who it is about. Map at least one of them."
        )
    if problems:
        raise MappingRefused(problems)
    return complete


def _unknown_field_problem(name: str, key: str) -> str:
    close = difflib.get_close_matches(key, FIELDS, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return (
        f"Column '{name}' is mapped to '{key}', which is not a powerbase field.{hint} "
        "Choose a field from the list, or leave the column out."
    )


def _double_mapped_problems(mapping: Mapping) -> list[str]:
    columns_by_field: dict[str, list[str]] = {}
    for name, key in mapping.items():
        if key is not None:
            columns_by_field.setdefault(key, []).append(name)
    problems = []
    for key, names in columns_by_field.items():
        if len(names) > 1 and not FIELDS[key].many:
            listed = ", ".join(f"'{name}'" for name in names[:-1]) + f" and '{names[-1]}'"
            both = "both" if len(names) == 2 else "all"
            problems.append(
                f"Columns {listed} are {both} mapped to {FIELDS[key].label}, which "
                "holds one value; leave all but one of them out."
            )
    return problems


def load_mapping(text: str | bytes) -> Mapping:
    """Read a mapping saved as JSON, refusing text that is not one."""
    try:
        mapping = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise MappingRefused([f"The saved mapping is not valid JSON ({error})."]) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(name, str) and (key is None or isinstance(key, str))
        for name, key in mapping.items()
    ):
        raise MappingRefused(
            [
                "The saved mapping must pair each column name with a field name "
                '(or null), for example {"First Name": "given_name"}.'
            ]
        )
    return mapping


def dump_mapping(mapping: Mapping) -> str:
    """Return *mapping* as JSON text to save for next time."""
    return json.dumps(mapping, ensure_ascii=False, indent=2)
