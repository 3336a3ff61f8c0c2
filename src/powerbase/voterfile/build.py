"""Build one version of a voter file: a DuckDB database made from a state's files.

    result = build_version(files=[Path("ncvoter_Statewide.txt"), Path("ncvhis_Statewide.txt")],
                           layout=load_layout("nc"), target=Path(".../job17.building.duckdb"),
                           previous=Path(".../job12.duckdb"))

The database holds:

    voters      one row per registration: names, birth date, party, status, address, the
                `confidential` flag and the code and name of each district (congressional,
                state_senate, state_house, county, municipality, ward, precinct and the local
                kinds: school_board, county_commission, ...; see layout.DISTRICT_KINDS)
    votes       one row per voter per election: election_date, kind (primary, runoff,
                general, municipal, special), party ballot taken, method (in_person,
                absentee, early)
    elections   each election in the history with its number of votes; `counted` marks the
                ones large enough to count in turnout (not a single town's special primary)
    districts   each district with its registered (not removed) and active voter counts
    turnout     per voter, how many of the last N primaries and generals they voted in
                (N = meta.turnout_last_n); `turnout_last(n)` computes it for any n
    changes     what changed since the previous version: new, removed, moved, party
    meta        key/value facts: layout, files, counts

The caller decides where the file goes and when it becomes current; this module knows nothing
of Django, so the benchmark and tests can drive it directly.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from powerbase.voterfile import diff
from powerbase.voterfile.expressions import (
    MACROS,
    code_sql,
    district_sql,
    field_sql,
    ident,
    literal,
    within_sql,
)
from powerbase.voterfile.layout import (
    DISTRICT_KINDS,
    NOT_VOTED,
    FieldSpec,
    HistorySpec,
    Layout,
    LayoutError,
)
from powerbase.voterfile.sources import (
    MalformedRow,
    ReadReport,
    SourceFile,
    assign_files,
    read_file,
    refuse_nul_bytes,
    remove_unpacked,
    unpack,
)

TURNOUT_LAST_N = 4
SAMPLES_KEPT = 5
# Of the work, reading files is most; the rest (districts, turnout, changes) the remainder.
READ_SHARE = 0.85

VOTER_COLUMNS = [
    ("voter_id", "VARCHAR"),
    ("first_name", "VARCHAR"),
    ("middle_name", "VARCHAR"),
    ("last_name", "VARCHAR"),
    ("suffix", "VARCHAR"),
    ("birth_date", "DATE"),
    ("birth_year", "INTEGER"),
    ("sex", "VARCHAR"),
    ("race", "VARCHAR"),
    ("ethnicity", "VARCHAR"),
    ("party", "VARCHAR"),
    ("status", "VARCHAR"),
    ("registration_date", "DATE"),
    ("address", "VARCHAR"),
    ("city", "VARCHAR"),
    ("zip", "VARCHAR"),
    ("mail_address", "VARCHAR"),
    ("phone", "VARCHAR"),
    ("email", "VARCHAR"),
    ("confidential", "BOOLEAN"),
    ("latitude", "DOUBLE"),
    ("longitude", "DOUBLE"),
] + [(column, "VARCHAR") for kind in DISTRICT_KINDS for column in (kind, f"{kind}_name")]
VOTE_COLUMNS = [
    ("voter_id", "VARCHAR"),
    ("election_date", "DATE"),
    ("kind", "VARCHAR"),
    ("party", "VARCHAR"),
    ("method", "VARCHAR"),
]


@dataclass(frozen=True)
class DistrictCount:
    kind: str
    code: str
    name: str
    voters: int
    active_voters: int


@dataclass
class BuildResult:
    """What a build made and found; kept with the version for the overview page."""

    voters: int = 0
    active_voters: int = 0
    votes: int = 0
    elections: int = 0
    files: list[dict] = field(default_factory=list)
    malformed_count: int = 0
    malformed_examples: list[MalformedRow] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    districts: list[DistrictCount] = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)  # counts for the sanity gates (gates.py)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_version(
    *,
    files: list[Path],
    layout: Layout,
    target: Path,
    previous: Path | None = None,
    on_progress: Callable[[float, str], None] = lambda share, message: None,
    memory_limit: str = "2GB",
    threads: int | None = None,
) -> BuildResult:
    """Read *files* with *layout* into a new DuckDB database at *target*.

    *previous* is the database of the version in use, to list what changed. Raises
    LayoutError (a ValueError) with a sentence naming the file when the files do not fit the
    layout. *target* must not exist; on error it may be left half-written for the caller to
    delete.
    """
    started = time.monotonic()
    sources = check_files(files, layout)
    if target.exists():
        raise FileExistsError(f"{target} already exists; a version is never overwritten.")
    unpacked = target.parent / f"{target.name}.unzipped"
    con = duckdb.connect(str(target))
    try:
        _configure(con, target, memory_limit, threads)
        on_progress(0.0, "Checking the files")
        sources = unpack(sources, unpacked)
        for source in sources:
            refuse_nul_bytes(source)
        result = _Builder(con, layout, sources, on_progress).build(previous)
        result.seconds = round(time.monotonic() - started, 2)
        _write_meta(con, layout, result)
        con.execute("CHECKPOINT")
    finally:
        con.close()
        remove_unpacked(unpacked)
    on_progress(1.0, "Finished")
    return result


def check_files(files: list[Path], layout: Layout) -> list[SourceFile]:
    """Check that *files* fit *layout* (names, headers, columns) without reading their rows.

    Raises LayoutError with a sentence naming the file and the column.
    """
    sources = assign_files(files, layout)
    for source in sources:
        if source.role == "voters":
            _resolve_fields(layout.voters.fields, source, layout)
            for kind, spec in layout.voters.districts.items():
                _resolve(spec.code, source, layout, key=kind, required=False, optional=True)
        elif layout.history is not None:
            _resolve_fields(layout.history.fields, source, layout)
    return sources


def _configure(
    con: duckdb.DuckDBPyConnection, target: Path, memory_limit: str, threads: int | None
) -> None:
    temp_dir = target.parent / f"{target.name}.tmp"
    con.execute(f"SET memory_limit = {literal(memory_limit)}")
    con.execute(f"SET temp_directory = {literal(str(temp_dir))}")
    # Rows may land in any order: keeping file order costs memory and time for nothing.
    con.execute("SET preserve_insertion_order = false")
    # Write the database once, at the end, instead of checkpointing every 16 MB of inserts:
    # twice as fast on a 5-million-row file. Memory stays bounded by memory_limit (spilling
    # to temp_directory).
    con.execute("SET checkpoint_threshold = '1TB'")
    # query_progress() only reports when DuckDB tracks progress; never print it.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(MACROS)


class _Builder:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        layout: Layout,
        sources: list[SourceFile],
        on_progress: Callable[[float, str], None],
    ):
        self.con, self.layout, self.sources = con, layout, sources
        self.on_progress = on_progress
        self.report = ReadReport()
        self.result = BuildResult()
        self.total_bytes = sum(source.path.stat().st_size for source in sources) or 1
        self.bytes_done = 0
        self.history = layout.history

    def build(self, previous: Path | None) -> BuildResult:
        in_row_history = self.history is not None and self.history.layout in {"groups", "columns"}
        voters_table = "staging" if in_row_history else "voters"
        self._create_tables(voters_table, in_row_history)
        for scan_id, source in enumerate(self.sources):
            self._read(source, voters_table, scan_id)
        if in_row_history:
            self._step(0.0, "Unfolding vote history")
            self._split_staging()
        elif previous is not None and self._history_expected_but_missing():
            self._step(0.0, "Carrying over the vote history")
            self._carry_over_votes(previous)
        self._step(0.1, "Checking voter ids")
        self._drop_unusable_voters()
        self._step(0.3, "Counting votes and elections")
        self._finish_votes()
        self._step(0.5, "Counting districts")
        self._count_districts()
        self._step(0.6, "Counting turnout")
        self._build_turnout()
        if previous is not None:
            self._step(0.7, "Comparing with the version in use")
            self.result.changes = diff.compare(self.con, previous, samples=SAMPLES_KEPT)
            self.result.comparison = self.result.changes.pop("gates")
        self.result.files = self.report.files
        self.result.malformed_count = self.report.malformed_count
        self.result.malformed_examples = self.report.examples
        return self.result

    # Progress -------------------------------------------------------------------------------

    def _step(self, share_of_rest: float, message: str) -> None:
        self.on_progress(READ_SHARE + (1 - READ_SHARE) * share_of_rest, message)

    def _reading(self, source: SourceFile) -> Callable[[float], None]:
        size = source.path.stat().st_size

        def report(fraction: float) -> None:
            done = self.bytes_done + size * fraction
            self.on_progress(READ_SHARE * done / self.total_bytes, f"Reading {source.name}")

        return report

    # Reading --------------------------------------------------------------------------------

    def _create_tables(self, voters_table: str, in_row_history: bool) -> None:
        columns = list(VOTER_COLUMNS)
        if in_row_history:
            columns += [(ident(f"h:{name}"), "VARCHAR") for name in self._history_columns()]
        temp = "TEMP " if in_row_history else ""
        self.con.execute(
            f"CREATE {temp}TABLE {voters_table} ("
            + ", ".join(f"{name} {kind}" for name, kind in columns)
            + ")"
        )
        self.con.execute(
            "CREATE TEMP TABLE raw_votes ("
            + ", ".join(f"{name} {kind}" for name, kind in VOTE_COLUMNS)
            + ")"
        )

    def _history_spec(self) -> HistorySpec:
        """Return the layout's history section, for the steps that only run when it has one."""
        assert self.history is not None, "history files and columns need a [history] section"
        return self.history

    def _history_columns(self) -> list[str]:
        """Return the in-row history columns across all registration files, in order."""
        history = self._history_spec()
        if history.layout == "groups":
            return list(history.group_column_names())
        pattern = re.compile(history.column_pattern)
        seen: dict[str, None] = {}
        for source in self.sources:
            if source.role == "voters":
                seen.update((name, None) for name in source.columns if pattern.match(name))
        return list(seen)

    def _read(self, source: SourceFile, voters_table: str, scan_id: int) -> None:
        if source.role == "voters":
            sql = self._voters_insert(source, voters_table)
        else:
            sql = self._history_insert(source)
        read_file(
            self.con,
            source,
            insert_sql=sql,
            report=self.report,
            on_progress=self._reading(source),
            scan_id=scan_id,
        )
        self.bytes_done += source.path.stat().st_size

    def _voters_insert(self, source: SourceFile, voters_table: str) -> str:
        """Return the INSERT reading *source* into *voters_table* in a single pass.

        The inner SELECT cleans each value once, naming it "pb:<column>" (no source column
        starts with "pb:"); the outer one only puts a district's parent code in front of
        its own (`within_sql`), so a county code cleaned once serves all fourteen districts
        within it instead of being cleaned again for each.
        """
        fields = _resolve_fields(self.layout.voters.fields, source, self.layout)
        self._note_missing(source, fields)
        selects = {name: field_sql(spec, self.layout) for name, spec in fields.items()}
        if "birth_year" not in selects and "birth_date" in selects:
            selects["birth_year"] = f"year({selects['birth_date']})"
        districts = self._district_selects(source)
        selects.update(districts)
        names = [name for name, _ in VOTER_COLUMNS if name in selects]
        inner = [f"{selects[name]} AS {ident('pb:' + name)}" for name in names]
        outer = [ident("pb:" + name) for name in names]
        for position, name in enumerate(names):
            spec = self.layout.voters.districts.get(name)
            parent = spec.within if spec is not None else ""
            if parent and parent in districts:
                outer[position] = within_sql(ident("pb:" + parent), ident("pb:" + name))
        if voters_table == "staging":
            for column in self._history_columns():
                names.append(ident(f"h:{column}"))
                inner.append(
                    f"{ident(column) if column in source.columns else 'NULL'} "
                    f"AS {ident('h:' + column)}"
                )
                outer.append(ident(f"h:{column}"))
        return (
            f"INSERT INTO {voters_table} ({', '.join(names)}) "  # noqa: S608
            f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {{rows}})"
        )

    def _note_missing(self, source: SourceFile, fields: dict[str, FieldSpec]) -> None:
        """Say which optional fields this file has no column for (left empty).

        District columns are not listed: a state adds and drops local districts over the
        years, and an empty one simply has no districts.
        """
        missing = [
            _label(name)
            for name, spec in self.layout.voters.fields.items()
            if spec.columns and name not in fields
        ]
        if missing:
            self.result.notes.append(
                f"{source.name} has no column for {', '.join(missing)}: left empty for its voters."
            )

    def _district_selects(self, source: SourceFile) -> dict[str, str]:
        districts = dict(self.layout.voters.districts)
        resolved = {}
        for kind, spec in districts.items():
            found = _resolve(
                spec.code, source, self.layout, key=kind, required=False, optional=True
            )
            if found:
                resolved[kind] = found
            if spec.name is not None and not all(
                column in source.columns for column in spec.name.columns
            ):
                districts[kind] = replace(spec, name=None)  # an older file without names
        selects: dict[str, str] = {}
        for kind in resolved:
            code, name = district_sql(districts[kind], self.layout, resolved)
            selects[kind], selects[f"{kind}_name"] = code, name
        return selects

    def _history_insert(self, source: SourceFile) -> str:
        fields = _resolve_fields(self._history_spec().fields, source, self.layout)
        selects = {name: field_sql(spec, self.layout) for name, spec in fields.items()}
        names = [name for name, _ in VOTE_COLUMNS]
        values = [
            selects.get(name if name != "election_date" else "date", "NULL") for name in names
        ]
        return (
            f"INSERT INTO raw_votes ({', '.join(names)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {{rows}}"
        )

    # After reading --------------------------------------------------------------------------

    def _split_staging(self) -> None:
        """Move in-row history out of the staging table into votes; keep the voters."""
        columns = ", ".join(name for name, _ in VOTER_COLUMNS)
        self.con.execute(f"CREATE TABLE voters AS SELECT {columns} FROM staging")  # noqa: S608
        selects = _in_row_history_selects(
            self._history_spec(), self.layout, self._history_columns()
        )
        if selects:
            self.con.execute("INSERT INTO raw_votes " + " UNION ALL ".join(selects))
        self.con.execute("DROP TABLE staging")

    def _history_expected_but_missing(self) -> bool:
        return (
            self.history is not None
            and self.history.layout == "rows"
            and not any(source.role == "history" for source in self.sources)
        )

    def _carry_over_votes(self, previous: Path) -> None:
        """Keep the previous version's votes when this import brought no history file.

        States publish registrations and history as separate downloads; importing this
        week's registrations alone should not erase everyone's turnout.
        """
        self.con.execute(f"ATTACH {literal(str(previous))} AS carried (READ_ONLY)")
        try:
            self.con.execute(
                "INSERT INTO raw_votes SELECT voter_id, election_date, kind, "
                "party, method FROM carried.votes"
            )
        finally:
            self.con.execute("DETACH carried")
        self.result.notes.append(
            "No vote history file was imported, so the vote history of the previous version "
            "was carried over."
        )

    def _drop_unusable_voters(self) -> None:
        """Skip rows without a voter id and keep one row per voter id; count both."""
        examples = self.con.execute(
            "SELECT concat_ws(' ', first_name, last_name, address) FROM voters "  # noqa: S608
            f"WHERE voter_id IS NULL LIMIT {SAMPLES_KEPT}"
        ).fetchall()
        without_id = self.con.execute("DELETE FROM voters WHERE voter_id IS NULL").fetchall()[0][0]
        if without_id:
            self.result.skipped["rows without a voter id"] = int(without_id)
            self.result.skipped_examples["rows without a voter id"] = [row[0] for row in examples]
        repeated = self.con.execute(
            "SELECT voter_id FROM voters GROUP BY voter_id HAVING count(*) > 1 ORDER BY voter_id"
        ).fetchall()
        if repeated:
            self.con.execute("""
                DELETE FROM voters WHERE rowid IN (
                    SELECT rowid FROM (
                        SELECT rowid, row_number() OVER (PARTITION BY voter_id ORDER BY rowid) AS n
                        FROM voters
                        WHERE voter_id IN (SELECT voter_id FROM voters GROUP BY voter_id
                                           HAVING count(*) > 1))
                    WHERE n > 1)""")
            self.result.skipped["repeated voter ids (first row kept)"] = len(repeated)
            self.result.skipped_examples["repeated voter ids (first row kept)"] = [
                row[0] for row in repeated[:SAMPLES_KEPT]
            ]
        counts = self.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM voters"
        ).fetchall()
        self.result.voters, self.result.active_voters = (int(value) for value in counts[0])

    def _finish_votes(self) -> None:
        """Fold raw history rows into one vote per voter per election; count elections.

        History rows for voter ids the registration files do not hold are counted and left
        out (with examples), not kept as votes of nobody.
        """
        undated = self.con.execute(
            "SELECT count(*) FROM raw_votes WHERE election_date IS NULL OR voter_id IS NULL"
        ).fetchall()[0][0]
        if undated:
            self.result.skipped["history rows without a voter id or a readable date"] = int(undated)
        self._drop_votes_of_unknown_voters()
        self.con.execute(f"""
            CREATE TABLE votes AS
            SELECT voter_id, election_date, {self._kind_sql()} AS kind, min(party) AS party,
                   min(method) AS method
            FROM raw_votes
            WHERE election_date IS NOT NULL AND voter_id IS NOT NULL
              AND method IS DISTINCT FROM {literal(NOT_VOTED)}
            GROUP BY ALL""")  # noqa: S608
        self.con.execute("DROP TABLE raw_votes")
        min_share = self.history.min_share if self.history else 0.1
        self.con.execute(f"""
            CREATE TABLE elections AS
            SELECT election_date, kind, votes,
                   votes >= {float(min_share)} * max(votes) OVER (PARTITION BY kind) AS counted
            FROM (SELECT election_date, kind, count(*) AS votes FROM votes GROUP BY ALL)
            ORDER BY election_date DESC""")  # noqa: S608
        counts = self.con.execute(
            "SELECT (SELECT count(*) FROM votes), (SELECT count(*) FROM elections)"
        ).fetchall()
        self.result.votes, self.result.elections = (int(value) for value in counts[0])

    def _kind_sql(self) -> str:
        """Return SQL for an election's kind, corrected by its date where the label misleads.

        A "general" away from general election day (the Tuesday after the first Monday in
        November: the 2nd to the 8th) is a special election: Ohio labels its August 2018
        special congressional election GENERAL-08/07/2018. Then, for states whose odd-year
        elections are local (Ohio), odd-year primaries and generals become municipal.
        """
        kind = (
            "CASE WHEN kind = 'general' AND NOT (month(election_date) = 11 "
            "AND day(election_date) BETWEEN 2 AND 8 AND dayofweek(election_date) = 2) "
            "THEN 'special' ELSE kind END"
        )
        odd_year = self.history.odd_year_elections if self.history else ""
        if odd_year:
            kind = (
                f"CASE WHEN ({kind}) IN ('primary', 'general') "
                f"AND year(election_date) % 2 = 1 THEN {literal(odd_year)} ELSE {kind} END"
            )
        return kind

    def _drop_votes_of_unknown_voters(self) -> None:
        reason = "history rows for voter ids not in the registration files"
        unknown = "voter_id NOT IN (SELECT voter_id FROM voters)"
        count = self.con.execute(
            f"SELECT count(*) FROM raw_votes WHERE voter_id IS NOT NULL AND {unknown}"  # noqa: S608
        ).fetchall()[0][0]
        if not count:
            return
        examples = self.con.execute(
            f"SELECT DISTINCT voter_id FROM raw_votes WHERE voter_id IS NOT NULL "  # noqa: S608
            f"AND {unknown} ORDER BY voter_id LIMIT {SAMPLES_KEPT}"
        ).fetchall()
        self.con.execute(f"DELETE FROM raw_votes WHERE voter_id IS NOT NULL AND {unknown}")  # noqa: S608
        self.result.skipped[reason] = int(count)
        self.result.skipped_examples[reason] = [row[0] for row in examples]

    def _count_districts(self) -> None:
        parts = [
            f"""
            SELECT {literal(kind)} AS kind, {kind} AS code, min({kind}_name) AS name,
                   count(*) FILTER (WHERE status IS DISTINCT FROM 'removed') AS voters,
                   count(*) FILTER (WHERE status = 'active') AS active_voters
            FROM voters WHERE {kind} IS NOT NULL GROUP BY {kind}"""  # noqa: S608
            for kind in DISTRICT_KINDS
        ]  # noqa: S608
        self.con.execute(
            "CREATE TABLE districts AS SELECT * FROM ("  # noqa: S608
            + " UNION ALL ".join(parts)
            + ") WHERE voters > 0 ORDER BY kind, code"
        )
        self.result.districts = read_district_counts(self.con)

    def _build_turnout(self) -> None:
        self.con.execute("""
            CREATE MACRO turnout_last(n) AS TABLE
            WITH recent AS (
                SELECT election_date, kind FROM elections
                WHERE counted AND kind IN ('primary', 'general')
                QUALIFY row_number() OVER (PARTITION BY kind ORDER BY election_date DESC) <= n
            )
            SELECT votes.voter_id,
                   count(*) FILTER (WHERE votes.kind = 'primary') AS primaries,
                   count(*) FILTER (WHERE votes.kind = 'general') AS generals
            FROM votes JOIN recent USING (election_date, kind)
            GROUP BY votes.voter_id""")
        self.con.execute(f"CREATE TABLE turnout AS SELECT * FROM turnout_last({TURNOUT_LAST_N})")  # noqa: S608
        self.con.execute("""
            CREATE VIEW voter_turnout AS
            SELECT voters.voter_id, coalesce(turnout.primaries, 0) AS primaries,
                   coalesce(turnout.generals, 0) AS generals
            FROM voters LEFT JOIN turnout USING (voter_id)""")


def read_district_counts(con: duckdb.DuckDBPyConnection) -> list[DistrictCount]:
    """Return the districts of a built version with their counts (to put it back in use)."""
    return [
        DistrictCount(
            kind=kind, code=code, name=name or "", voters=int(voters), active_voters=int(active)
        )
        for kind, code, name, voters, active in con.execute(
            "SELECT kind, code, name, voters, active_voters FROM districts"
        ).fetchall()
    ]


def _write_meta(con: duckdb.DuckDBPyConnection, layout: Layout, result: BuildResult) -> None:
    facts = {
        "layout": layout.name,
        "built_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "files": json.dumps(result.files),
        "voters": str(result.voters),
        "votes": str(result.votes),
        "malformed_rows": str(result.malformed_count),
        "turnout_last_n": str(TURNOUT_LAST_N),
    }
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(facts.items()))


# Columns ------------------------------------------------------------------------------------


def _resolve_fields(
    fields: dict[str, FieldSpec], source: SourceFile, layout: Layout
) -> dict[str, FieldSpec]:
    """Return the fields whose columns this file holds; a missing voter id is an error."""
    resolved = {}
    for name, spec in fields.items():
        required = name == "voter_id" or (source.role == "history" and name in {"date", "kind"})
        columns = _resolve(
            spec,
            source,
            layout,
            key=name,
            required=required,
            optional=spec.optional and not required,
        )
        if columns:
            resolved[name] = replace(spec, columns=columns)
    return resolved


def _resolve(
    spec: FieldSpec,
    source: SourceFile,
    layout: Layout,
    *,
    key: str,
    required: bool,
    optional: bool = False,
) -> tuple[str, ...]:
    """Return the source columns for *spec* in *source*, by declaration or by guessing.

    Declared columns are tried first, then each alternative (older names). *key* is the
    field or district kind the columns are for, as written in a mapping. A declared column
    that is missing is an error unless *optional*.
    """
    label = _label(key)
    if spec.columns:
        for columns in (spec.columns, *spec.alternatives):
            if all(column in source.columns for column in columns):
                return columns
        if optional:
            return ()
        missing = next(column for column in spec.columns if column not in source.columns)
        older = ", ".join("+".join(columns) for columns in spec.alternatives)
        raise LayoutError(
            f"{source.name} has no column '{missing}'"
            + (f" (nor the older {older})" if older else "")
            + f", which the {layout.title} layout reads as {label}. If the file names it "
            f"differently, say which column it is with --map {key}=COLUMN (on the import "
            "page: the column mapping). Is this the right layout? "
            + (
                _other_delimiter(source, layout)
                or f"The file's columns are: {_listing(source.columns)}."
            )
        )
    by_key = {_header_key(column): column for column in source.columns}
    for guess in spec.guess:
        if (column := by_key.get(_header_key(guess))) is not None:
            return (column,)
    if required:
        raise LayoutError(
            f"{source.name} has no column recognisable as {label} (tried: "
            f"{', '.join(spec.guess)}). Name it with a mapping, e.g. --map "
            f"{key}=COLUMN. The file's columns are: {_listing(source.columns)}."
        )
    return ()


DELIMITER_NAMES = {",": "commas", "\t": "tabs", "|": "vertical bars", ";": "semicolons"}


def _other_delimiter(source: SourceFile, layout: Layout) -> str:
    """Say so when *source*'s header is one column under the layout's delimiter but many
    under another: a file of another layout (a tab-delimited NC file read as Ohio's CSV)."""
    if len(source.columns) != 1 or source.delimiter not in DELIMITER_NAMES:
        return ""
    header = source.columns[0]
    other = max(DELIMITER_NAMES, key=header.count)
    if header.count(other) < 2:
        return ""
    columns = [column.strip().strip('"') for column in header.split(other)]
    return (
        f"Its header is separated by {DELIMITER_NAMES[other]}, and the {layout.title} layout "
        f"reads files separated by {DELIMITER_NAMES[source.delimiter]}: it is most likely a "
        f"file of another layout. Its columns are: {_listing(tuple(columns))}."
    )


def _in_row_history_selects(history: HistorySpec, layout: Layout, columns: list[str]) -> list[str]:
    """Return SELECTs that turn in-row history columns into raw_votes rows."""
    if history.layout == "groups":
        return [_group_select(history, layout, group) for group in range(1, history.groups + 1)]
    return [
        select
        for column in columns
        if (select := _column_select(history, layout, column)) is not None
    ]


def _group_select(history: HistorySpec, layout: Layout, group: int) -> str:
    def value(name: str) -> str:
        spec = history.fields.get(name)
        if spec is None:
            return "NULL"
        staged = tuple(f"h:{column}_{group}" for column in spec.columns)
        return field_sql(spec, layout, columns=staged)

    return (
        f"SELECT voter_id, {value('date')}, {value('kind')}, {value('party')}, "  # noqa: S608
        f"{value('method')} FROM staging "
        f"WHERE pb_text({ident(f'h:{history.fields["date"].columns[0]}_{group}')}) "
        f"IS NOT NULL"
    )


def _column_select(history: HistorySpec, layout: Layout, column: str) -> str | None:
    """Return the SELECT for one election column ("GENERAL-11/08/2022"), or None."""
    match = re.match(history.column_pattern, column)
    if match is None:
        return None
    date_spec = history.fields.get("date")
    date_format = date_spec.date_format if date_spec else "%m/%d/%Y"
    try:
        election_date = datetime.strptime(match["date"], date_format).date()
    except ValueError:
        return None
    kind_spec = history.fields["kind"]
    kind = code_sql(literal(match["kind"]), kind_spec, layout)
    cell = f"pb_code({ident(f'h:{column}')})"
    markers = ", ".join(literal(marker) for marker in history.voted_markers) or "''"
    party_spec = history.fields.get("party")
    party = "NULL"
    if party_spec is not None:
        party = (
            f"CASE WHEN upper({cell}) IN ({markers}) THEN NULL "
            f"ELSE {code_sql(cell, party_spec, layout)} END"
        )
    method_spec = history.fields.get("method")
    method = code_sql(cell, method_spec, layout) if method_spec else "NULL"
    return (
        f"SELECT voter_id, DATE {literal(election_date.isoformat())}, {kind}, {party}, "  # noqa: S608
        f"{method} FROM staging WHERE {cell} IS NOT NULL"
    )


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).lower()


def _label(key: str) -> str:
    labels = {"voter_id": "the voter id", "date": "the election date", "kind": "the election type"}
    if key in DISTRICT_KINDS:
        return f"the {key.replace('_', ' ')} district"
    return labels.get(key, f"the {key.replace('_', ' ')}")


def _listing(columns: tuple[str, ...], limit: int = 12) -> str:
    shown = ", ".join(columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")
