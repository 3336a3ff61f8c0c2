"""Record linkage without Django: link two lists of people, or find duplicates in one.

    from powerbase.identity.linkage import link, dedupe, band, explain

    result = link("members.csv", "voters", connection=voter_db)   # a DuckDB table, read in place
    result.pairs      # pyarrow: left_id, right_id, match_probability, match_weight
    band(0.97)        # Band.AUTO_ACCEPT
    explain(result.model, member_row, voter_row)   # what agrees, what differs, with weights

Fellegi-Sunter scoring with EM-trained weights (Splink on DuckDB, or on Spark with
`LinkageSettings(engine="spark")` for very large lists); see docs/linkage.md.
"""

from powerbase.identity.linkage.bands import DEFAULT_THRESHOLDS, Band, Thresholds, band
from powerbase.identity.linkage.columns import FIELDS, ColumnMap, recognise_columns
from powerbase.identity.linkage.errors import (
    DuplicateId,
    LinkageError,
    MissingColumn,
    NothingToCompare,
    UnknownColumn,
)
from powerbase.identity.linkage.explain import (
    Explanation,
    FieldExplanation,
    explain,
    explain_pairs,
)
from powerbase.identity.linkage.pipeline import (
    DedupeResult,
    LinkResult,
    RunStats,
    Stage,
    dedupe,
    link,
)
from powerbase.identity.linkage.settings import LinkageSettings
from powerbase.identity.linkage.training import LinkageModel

__all__ = [
    "DEFAULT_THRESHOLDS",
    "FIELDS",
    "Band",
    "ColumnMap",
    "DedupeResult",
    "DuplicateId",
    "Explanation",
    "FieldExplanation",
    "LinkResult",
    "LinkageError",
    "LinkageModel",
    "LinkageSettings",
    "MissingColumn",
    "NothingToCompare",
    "RunStats",
    "Stage",
    "Thresholds",
    "UnknownColumn",
    "band",
    "dedupe",
    "explain",
    "explain_pairs",
    "link",
    "recognise_columns",
]
