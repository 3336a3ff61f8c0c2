"""Why a pair scored what it did: each comparison's level, in words, with its weight.

For a review queue: given a trained model and two records as they are stored (any headers the
engine recognises), say what agrees and what differs and how much each counted. The levels
are evaluated with the same SQL the model uses, and the weights are the model's own, so the
explanation adds up to the probability the run gave the pair.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pyarrow as pa

from powerbase.identity.linkage.bands import DEFAULT_THRESHOLDS, Band, Thresholds, band
from powerbase.identity.linkage.columns import header_key, recognise_columns
from powerbase.identity.linkage.model import ELSE, Agreement
from powerbase.identity.linkage.normalise import (
    create_families_table,
    create_normalised_table,
)
from powerbase.identity.linkage.sources import Workspace, open_source
from powerbase.identity.linkage.training import LinkageModel

Record = Mapping[str, object]


@dataclass(frozen=True)
class FieldExplanation:
    """One comparison of a pair: the values compared, the level they fell in, its weight."""

    comparison: str
    title: str
    left: str | None
    right: str | None
    level: str
    agreement: Agreement
    weight: float  # log2(m/u), in bits; positive counts for a match


@dataclass(frozen=True)
class Explanation:
    """A scored pair: the prior, then each comparison's weight, adding up to the score."""

    fields: tuple[FieldExplanation, ...]
    prior_weight: float
    match_weight: float
    match_probability: float
    band: Band

    def agreeing(self) -> list[FieldExplanation]:
        return [f for f in self.fields if f.agreement in (Agreement.AGREES, Agreement.PARTLY)]

    def differing(self) -> list[FieldExplanation]:
        return [f for f in self.fields if f.agreement is Agreement.DIFFERS]


def explain(
    model: LinkageModel,
    left: Record,
    right: Record,
    *,
    left_columns: Mapping[str, str | None] | None = None,
    right_columns: Mapping[str, str | None] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Explanation:
    """Explain how *model* scores the pair of records *left* and *right*."""
    return explain_pairs(
        model,
        [(left, right)],
        left_columns=left_columns,
        right_columns=right_columns,
        thresholds=thresholds,
    )[0]


def explain_pairs(
    model: LinkageModel,
    pairs: Sequence[tuple[Record, Record]],
    *,
    left_columns: Mapping[str, str | None] | None = None,
    right_columns: Mapping[str, str | None] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Explanation]:
    """Explain many pairs at once (one query for a whole review page).

    The left records share one set of headers, and the right records another.
    """
    if not pairs:
        return []
    comparisons = model.comparisons()
    with Workspace(memory_limit="1GB") as workspace:
        families = create_families_table(workspace)
        extras = model.extra_columns
        left_table = _normalised(
            workspace, [left for left, _ in pairs], "left", left_columns, families, extras
        )
        right_table = _normalised(
            workspace, [right for _, right in pairs], "right", right_columns, families, extras
        )
        rows = _levels(workspace, comparisons, left_table, right_table)
    return [_explanation(row, model, comparisons, thresholds) for row in rows]


def _normalised(
    workspace: Workspace,
    records: list[Record],
    label: str,
    mapping: Mapping[str, str | None] | None,
    families: str,
    extras: list[str],
) -> str:
    source = open_source(workspace, pa.Table.from_pylist([dict(r) for r in records]), label=label)
    columns = recognise_columns(
        source.headers, source=f"the {label} record", mapping=mapping, require_id=False
    )
    # The shared columns the model compares, found again by their folded header; a record
    # without one reads as missing there.
    by_key = {f"x_{header_key(header)}": header for header in source.headers}
    columns = replace(columns, extras={name: by_key.get(name) for name in extras})
    return create_normalised_table(workspace, source, columns, families_table=families)


def _levels(workspace: Workspace, comparisons, left_table: str, right_table: str) -> list:
    columns = [
        row[0]
        for row in workspace.con.execute(f"DESCRIBE {left_table}").fetchall()
        if row[0] != "source_row"
    ]
    renamed = ", ".join([f"l.{c} AS {c}_l" for c in columns] + [f"r.{c} AS {c}_r" for c in columns])
    cases = []
    for comparison, _ in comparisons:
        whens = " ".join(
            f"WHEN {level.sql} THEN {index}"
            for index, level in enumerate(comparison.levels)
            if level.sql != ELSE
        )
        cases.append(f"CASE {whens} ELSE {len(comparison.levels) - 1} END")
        for side in ("l", "r"):
            values = ", ".join(f"{column}_{side}" for column in comparison.columns)
            cases.append(f"nullif(concat_ws(', ', {values}), '')")
    # Pair i is row i of each table.
    return workspace.con.execute(f"""
        WITH pairs AS (
            SELECT l.source_row AS pair, {renamed} FROM {left_table} AS l
            JOIN {right_table} AS r ON l.source_row = r.source_row
        )
        SELECT {", ".join(cases)} FROM pairs ORDER BY pair
    """).fetchall()  # noqa: S608 - only our own table names


def _explanation(row, model: LinkageModel, comparisons, thresholds: Thresholds) -> Explanation:
    prior = model.prior_weight
    fields = []
    for position, (comparison, weights) in enumerate(comparisons):
        index, left, right = row[3 * position : 3 * position + 3]
        level = comparison.levels[index]
        # A rare name agreeing counts for more than a common one, as it did in the run.
        rarity = model.term_frequency_weight(comparison.name, index, left)
        fields.append(
            FieldExplanation(
                comparison=comparison.name,
                title=comparison.title,
                left=left,
                right=right,
                level=level.label,
                agreement=level.agreement,
                weight=weights[index] + rarity,
            )
        )
    match_weight = prior + sum(field.weight for field in fields)
    probability = 1 / (1 + 2**-match_weight) if match_weight > -1000 else 0.0
    return Explanation(
        fields=tuple(fields),
        prior_weight=prior,
        match_weight=match_weight,
        match_probability=probability,
        band=band(probability, thresholds),
    )
