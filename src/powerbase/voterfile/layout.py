"""Voter file layouts: how one state's files are shaped, read from a declarative TOML file.

A layout says which files it reads (matched by name), how they are delimited and quoted,
which source column feeds each field of powerbase's voter record, the code tables that turn a
state's codes into shared values, which columns hold districts, and how vote history is laid
out. The shipped layouts live in `layouts/`; `docs/voterfile.md` explains every key.

This module is Django-free: it parses and checks layouts and nothing else.

    layout = load_layout("nc")
    layout.voters.file.match         # ("ncvoter*",)
    layout.voters.fields["party"]    # FieldSpec(columns=("party_cd",), codes="party", ...)
"""

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

LAYOUT_DIR = Path(__file__).parent / "layouts"

# A runoff is a second primary (NC, GA, TX...): its own kind, so it never counts as a primary.
ELECTION_KINDS = ("primary", "runoff", "general", "municipal", "special")
VOTE_METHODS = ("in_person", "absentee", "early")
NOT_VOTED = "not_voted"  # a method value that marks a history row as "did not vote"
DISTRICT_KINDS = (
    "congressional",
    "state_senate",
    "state_house",
    "county",
    "municipality",
    "ward",
    "precinct",
    # Local districts (District.Kind lists them with their labels).
    "county_commission",
    "school_board",
    "township",
    "judicial",
    "superior_court",
    "appeals_court",
    "municipal_court",
    "municipal_district",
    "fire",
    "water",
    "sewer",
    "sanitation",
    "rescue",
    "library",
    "other_1",
    "other_2",
    "vtd",
)

# Each field of the voter record and how its raw text is cleaned, unless the layout says more.
VOTER_FIELD_TYPES = {
    "voter_id": "id",
    "first_name": "text",
    "middle_name": "text",
    "last_name": "text",
    "suffix": "text",
    "birth_date": "date",
    "birth_year": "integer",
    "sex": "code",
    "race": "code",
    "ethnicity": "code",
    "party": "code",
    "status": "code",
    "registration_date": "date",
    "address": "text",
    "city": "text",
    "zip": "zip",
    "mail_address": "text",
    "phone": "phone",
    "email": "text",
    # Address withheld by law (victims of domestic violence, some officers): never printed.
    "confidential": "flag",
    # A geocoded (vendor's) file places each registration: turf then walks streets by proximity.
    "latitude": "decimal",
    "longitude": "decimal",
}
HISTORY_FIELD_TYPES = {
    "voter_id": "id",
    "date": "date",
    "kind": "code",
    "party": "code",
    "method": "code",
}
FIELD_TYPES = ("id", "text", "code", "date", "integer", "decimal", "zip", "phone", "flag")


class LayoutError(ValueError):
    """A layout file, or a file read with it, does not fit: the message says where and why."""


@dataclass(frozen=True)
class FileFormat:
    """How one kind of file (registrations or history) is delimited, quoted and named."""

    match: tuple[str, ...]
    delimiter: str = ","
    header: bool = True
    quote: str = '"'
    encoding_fallback: str = "cp1252"
    columns: tuple[str, ...] = ()
    pad_short_rows: bool = False


@dataclass(frozen=True)
class FieldSpec:
    """Where one field comes from and how its text is cleaned.

    `columns` are source columns; several are joined with `separator` ("join") or the first
    non-blank one is taken ("first"). `alternatives` are other column sets tried in order when
    a file lacks `columns`: the names a state used in earlier years (NC's `midl_name` before
    `middle_name`). `optional` fields may be missing from a file: they stay empty. `guess`
    lists header names tried when `columns` is empty (the generic layout).
    """

    columns: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    optional: bool = False
    type: str = "text"
    combine: str = "join"
    separator: str = " "
    date_format: str = ""
    codes: str = ""
    patterns: str = ""
    guess: tuple[str, ...] = ()


@dataclass(frozen=True)
class DistrictSpec:
    """Which columns give one kind of district its code and name."""

    kind: str
    code: FieldSpec
    name: FieldSpec | None = None
    names: str = ""
    within: str = ""
    numbered: bool = False


@dataclass(frozen=True)
class VoterSpec:
    file: FileFormat
    fields: dict[str, FieldSpec]
    districts: dict[str, DistrictSpec]


@dataclass(frozen=True)
class HistorySpec:
    """How vote history is laid out.

    - "rows": separate files, one row per voter per election (NC ncvhis, FL *_H_*).
    - "groups": repeating groups of columns in the registration file (CT).
    - "columns": one column per election in the registration file, named for it (OH).
    """

    layout: str
    fields: dict[str, FieldSpec]
    file: FileFormat | None = None
    groups: int = 0
    group_columns: tuple[str, ...] = ()
    column_pattern: str = ""
    voted_markers: tuple[str, ...] = ()
    odd_year_elections: str = ""
    min_share: float = 0.1

    def group_column_names(self) -> tuple[str, ...]:
        """Return the source column names of the repeating groups, in file order."""
        return tuple(
            f"{name}_{group}" for group in range(1, self.groups + 1) for name in self.group_columns
        )


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    state: str
    source: dict
    voters: VoterSpec
    history: HistorySpec | None
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    patterns: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    path: Path | None = None

    def with_mapping(self, mapping: dict[str, str]) -> "Layout":
        """Return this layout with voter fields or districts read from the columns in *mapping*.

        Keys are voter fields (`last_name`) or district kinds (`state_house`).
        """
        fields = dict(self.voters.fields)
        districts = dict(self.voters.districts)
        for target, column in mapping.items():
            if target in VOTER_FIELD_TYPES:
                base = fields.get(target) or _default_spec(target, VOTER_FIELD_TYPES[target])
                fields[target] = replace(base, columns=(column,), guess=(), alternatives=())
            elif target in DISTRICT_KINDS:
                district = districts.get(target) or DistrictSpec(
                    kind=target, code=FieldSpec(type="code")
                )
                districts[target] = replace(
                    district,
                    code=replace(district.code, columns=(column,), guess=(), alternatives=()),
                )
            else:
                raise LayoutError(
                    f"'{target}' in the column mapping is not a voter field or a district. "
                    f"Fields: {', '.join(VOTER_FIELD_TYPES)}; districts: "
                    f"{', '.join(DISTRICT_KINDS)}."
                )
        return replace(self, voters=replace(self.voters, fields=fields, districts=districts))


def parse_mapping(lines: list[str]) -> dict[str, str]:
    """Turn "field=COLUMN" lines into a mapping, refusing lines that name no known target."""
    mapping = {}
    known = set(VOTER_FIELD_TYPES) | set(DISTRICT_KINDS)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        target, separator, column = line.partition("=")
        target, column = target.strip(), column.strip()
        if not separator or not column:
            raise LayoutError(f"Mapping line {number}, '{line.strip()}', is not field=COLUMN.")
        if target not in known:
            raise LayoutError(
                f"Mapping line {number} names '{target}', which is not a voter field or a "
                f"district. Fields: {', '.join(VOTER_FIELD_TYPES)}; districts: "
                f"{', '.join(DISTRICT_KINDS)}."
            )
        mapping[target] = column
    return mapping


def available_layouts() -> list[Layout]:
    """Return every shipped layout, sorted by name."""
    return [load_layout(path.stem) for path in sorted(LAYOUT_DIR.glob("*.toml"))]


def load_layout(name: str) -> Layout:
    """Read and check the shipped layout called *name* (e.g. "nc")."""
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise LayoutError(f"'{name}' is not a layout name. Layouts: {_layout_names()}.")
    path = LAYOUT_DIR / f"{name}.toml"
    if not path.exists():
        raise LayoutError(f"There is no layout called '{name}'. Layouts: {_layout_names()}.")
    return parse_layout(path.read_text(encoding="utf-8"), path=path)


def parse_layout(text: str, *, path: Path | None = None) -> Layout:
    """Parse layout TOML *text*, raising LayoutError naming the key that is wrong."""
    where = path.name if path else "the layout"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LayoutError(f"{where} is not valid TOML: {error}.") from None
    reader = _Reader(where, data)
    codes = {
        name: {str(k): str(v) for k, v in table.items()}
        for name, table in reader.table("codes").items()
    }
    patterns = {
        name: tuple((str(pair[0]).upper(), str(pair[1])) for pair in pairs)
        for name, pairs in reader.table("patterns").items()
    }
    layout = Layout(
        name=reader.required("name"),
        title=reader.required("title"),
        state=reader.get("state", ""),
        source=reader.table("source"),
        voters=_voter_spec(reader.sub("voters")),
        history=_history_spec(reader.sub("history")) if "history" in data else None,
        codes=codes,
        patterns=patterns,
        path=path,
    )
    _check_references(layout, where)
    return layout


# Parsing ------------------------------------------------------------------------------------


class _Reader:
    """Read keys from one TOML table, naming the full key path in every error."""

    def __init__(self, where: str, data: dict, prefix: str = ""):
        self.where, self.data, self.prefix = where, data, prefix

    def sub(self, key: str) -> "_Reader":
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, "should be a table")
        return _Reader(self.where, value, f"{self.prefix}{key}.")

    def table(self, key: str) -> dict:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, "should be a table")
        return value

    def get(self, key: str, default):
        return self.data.get(key, default)

    def required(self, key: str):
        if key not in self.data:
            raise self.error(key, "is missing")
        return self.data[key]

    def error(self, key: str, problem: str) -> LayoutError:
        return LayoutError(f"{self.where}: '{self.prefix}{key}' {problem}.")


def _file_format(reader: _Reader) -> FileFormat:
    match = reader.get("match", ["*"])
    delimiter = reader.get("delimiter", ",")
    if delimiter != "auto" and len(delimiter) != 1:
        raise reader.error("delimiter", 'should be one character or "auto"')
    return FileFormat(
        match=tuple(match) if isinstance(match, list) else (match,),
        delimiter=delimiter,
        header=bool(reader.get("header", True)),
        quote=reader.get("quote", '"'),
        encoding_fallback=reader.get("encoding_fallback", "cp1252"),
        columns=tuple(reader.get("columns", [])),
        pad_short_rows=bool(reader.get("pad_short_rows", False)),
    )


def _field_spec(reader: _Reader, name: str, default_type: str) -> FieldSpec:
    value = reader.data[name]
    if isinstance(value, str):
        return _default_spec(name, default_type, columns=(value,))
    if isinstance(value, list):
        return _default_spec(name, default_type, columns=tuple(value))
    if not isinstance(value, dict):
        raise reader.error(name, "should be a column name, a list of them or a table")
    known = {
        "column",
        "columns",
        "type",
        "combine",
        "separator",
        "format",
        "codes",
        "patterns",
        "guess",
        "alternatives",
        "optional",
    }
    if unknown := set(value) - known:
        raise reader.error(name, f"has unknown keys {sorted(unknown)} (known: {sorted(known)})")
    columns = value.get("columns") or ([value["column"]] if "column" in value else [])
    spec = FieldSpec(
        columns=tuple(columns),
        type=value.get("type", default_type),
        combine=value.get("combine", "join"),
        separator=value.get("separator", " "),
        date_format=value.get("format", ""),
        codes=value.get("codes", ""),
        patterns=value.get("patterns", ""),
        guess=tuple(value.get("guess", ())),
        alternatives=_alternatives(reader, name, value.get("alternatives", [])),
        optional=bool(value.get("optional", False)),
    )
    if spec.type not in FIELD_TYPES:
        raise reader.error(name, f"has type '{spec.type}', not one of {', '.join(FIELD_TYPES)}")
    if spec.combine not in {"join", "first"}:
        raise reader.error(name, 'combine should be "join" or "first"')
    if spec.type == "date" and not spec.date_format:
        raise reader.error(name, 'is a date and needs a format, e.g. format = "%m/%d/%Y"')
    if not spec.columns and not spec.guess:
        raise reader.error(name, "names no column (column = ..., or guess = [...])")
    return spec


def _alternatives(reader: _Reader, name: str, value) -> tuple[tuple[str, ...], ...]:
    """Read `alternatives`: each a column name, or a list of names joined like `columns`."""
    found = []
    for alternative in value if isinstance(value, list) else [value]:
        columns = [alternative] if isinstance(alternative, str) else alternative
        if not (
            isinstance(columns, list)
            and columns
            and all(isinstance(column, str) for column in columns)
        ):
            raise reader.error(name, "alternatives should list column names, or lists of them")
        found.append(tuple(columns))
    return tuple(found)


def _default_spec(name: str, field_type: str, columns: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(columns=columns, type=field_type)


def _voter_spec(reader: _Reader) -> VoterSpec:
    fields_reader = reader.sub("fields")
    fields = {}
    for name in fields_reader.data:
        if name not in VOTER_FIELD_TYPES:
            raise fields_reader.error(
                name, f"is not a voter field ({', '.join(VOTER_FIELD_TYPES)})"
            )
        fields[name] = _field_spec(fields_reader, name, VOTER_FIELD_TYPES[name])
    if "voter_id" not in fields:
        raise fields_reader.error("voter_id", "is missing: every layout needs the voter id")
    districts_reader = reader.sub("districts")
    districts = {}
    for kind in districts_reader.data:
        if kind not in DISTRICT_KINDS:
            raise districts_reader.error(
                kind, f"is not a district kind ({', '.join(DISTRICT_KINDS)})"
            )
        districts[kind] = _district_spec(districts_reader.sub(kind), kind)
    return VoterSpec(file=_file_format(reader.sub("file")), fields=fields, districts=districts)


def _district_spec(reader: _Reader, kind: str) -> DistrictSpec:
    data = dict(reader.data)
    name_column = data.pop("name", None)
    names = data.pop("names", "")
    within = data.pop("within", "")
    numbered = bool(data.pop("numbered", False))
    code_reader = _Reader(
        reader.where,
        {
            "code": {
                **data,
                "type": data.get("type", "code"),
                "combine": data.get("combine", "first"),
            }
        },
        reader.prefix,
    )
    name = None
    if name_column:
        name = FieldSpec(
            columns=(name_column,) if isinstance(name_column, str) else tuple(name_column),
            type="text",
            combine="first",
        )
    return DistrictSpec(
        kind=kind,
        code=_field_spec(code_reader, "code", "code"),
        name=name,
        names=names,
        within=within,
        numbered=numbered,
    )


def _history_spec(reader: _Reader) -> HistorySpec:
    layout = reader.required("layout")
    if layout not in {"rows", "groups", "columns"}:
        raise reader.error("layout", 'should be "rows", "groups" or "columns"')
    fields_reader = reader.sub("fields")
    fields = {}
    for name in fields_reader.data:
        if name not in HISTORY_FIELD_TYPES:
            raise fields_reader.error(
                name, f"is not a history field ({', '.join(HISTORY_FIELD_TYPES)})"
            )
        fields[name] = _field_spec(fields_reader, name, HISTORY_FIELD_TYPES[name])
    spec = HistorySpec(
        layout=layout,
        fields=fields,
        file=_file_format(reader.sub("file")) if layout == "rows" else None,
        groups=int(reader.get("groups", 0)),
        group_columns=tuple(reader.get("group_columns", [])),
        column_pattern=reader.get("column_pattern", ""),
        voted_markers=tuple(reader.get("voted_markers", [])),
        odd_year_elections=reader.get("odd_year_elections", ""),
        min_share=float(reader.get("min_share", 0.1)),
    )
    needed = {
        "rows": {"voter_id", "date", "kind"},
        "groups": {"date", "kind"},
        "columns": {"kind"},
    }[layout]
    if missing := needed - set(fields):
        raise fields_reader.error(sorted(missing)[0], f"is missing: {layout} history needs it")
    if layout == "groups" and not (spec.groups and spec.group_columns):
        raise reader.error("groups", "and 'group_columns' are needed for grouped history")
    if layout == "columns":
        try:
            pattern = re.compile(spec.column_pattern)
        except re.error as error:
            raise reader.error("column_pattern", f"is not a regular expression ({error})") from None
        if not {"kind", "date"} <= set(pattern.groupindex):
            raise reader.error(
                "column_pattern", "needs the named groups (?P<kind>...) and (?P<date>...)"
            )
    if spec.odd_year_elections and spec.odd_year_elections not in ELECTION_KINDS:
        raise reader.error("odd_year_elections", f"should be one of {', '.join(ELECTION_KINDS)}")
    return spec


def _check_references(layout: Layout, where: str) -> None:
    """Refuse code tables, patterns and district scopes that name something missing."""
    specs = [(f"voters.fields.{n}", s) for n, s in layout.voters.fields.items()]
    specs += [(f"voters.districts.{k}", d.code) for k, d in layout.voters.districts.items()]
    if layout.history:
        specs += [(f"history.fields.{n}", s) for n, s in layout.history.fields.items()]
    for key, spec in specs:
        if spec.codes and spec.codes not in layout.codes:
            raise LayoutError(
                f"{where}: '{key}' uses code table '{spec.codes}', "
                f"but there is no [codes.{spec.codes}]."
            )
        if spec.patterns and spec.patterns not in layout.patterns:
            raise LayoutError(
                f"{where}: '{key}' uses patterns '{spec.patterns}', "
                f"but there is no patterns.{spec.patterns}."
            )
    for kind, district in layout.voters.districts.items():
        if district.within and district.within not in layout.voters.districts:
            raise LayoutError(
                f"{where}: district '{kind}' is within '{district.within}', "
                "which the layout does not read."
            )
        if district.names and district.names not in layout.codes:
            raise LayoutError(
                f"{where}: district '{kind}' takes names from "
                f"'{district.names}', but there is no [codes.{district.names}]."
            )
    if layout.history:
        _check_history_codes(layout, where)


def _check_history_codes(layout: Layout, where: str) -> None:
    """Refuse election kinds and vote methods outside the shared vocabulary."""
    history = layout.history
    assert history is not None, "called only for a layout with a history section"
    kind, method = history.fields.get("kind"), history.fields.get("method")
    for spec, allowed, label in (
        (kind, ELECTION_KINDS, "election kind"),
        (method, (*VOTE_METHODS, NOT_VOTED), "vote method"),
    ):
        if spec is None:
            continue
        values = []
        if spec.codes:
            values += layout.codes[spec.codes].values()
        if spec.patterns:
            values += [value for _, value in layout.patterns[spec.patterns]]
        if wrong := sorted(set(values) - set(allowed)):
            raise LayoutError(
                f"{where}: {label} values {wrong} are not one of {', '.join(allowed)}."
            )


def _layout_names() -> str:
    return ", ".join(path.stem for path in sorted(LAYOUT_DIR.glob("*.toml"))) or "none"
