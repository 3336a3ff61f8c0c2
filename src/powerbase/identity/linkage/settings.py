"""How a linkage run trains and filters."""

from dataclasses import dataclass

from powerbase.identity.linkage.bands import DEFAULT_THRESHOLDS, Thresholds


@dataclass(frozen=True)
class LinkageSettings:
    """How a run trains and filters; the defaults suit members against a state voter file."""

    thresholds: Thresholds = DEFAULT_THRESHOLDS
    # Keep, for each left record, only its most probable right record(s): a person has one
    # registration, and the runner-up is usually a relative at the same address.
    best_match_only: bool = True
    # Random pairs sampled to estimate u probabilities; more is steadier and slower.
    u_sample_pairs: float = 3e6
    # ... but no more than this many per record of the smaller list: a few thousand records
    # learn their u as well from a million pairs, in a third of the time.
    u_pairs_per_record: float = 200
    # Blocked pairs each EM session trains on, sampled when there are more.
    em_max_pairs: float = 2e6
    # Share of true pairs that agree exactly on first name, last name and birth date, used
    # to estimate the prior (how likely two random records are to match).
    deterministic_recall: float = 0.7
    seed: int = 42
    # Limits for the DuckDB database the engine opens itself (a caller's connection keeps
    # its own settings).
    memory_limit: str = "6GB"
    temp_directory: str | None = None
    # Where Splink trains and scores (engines.py): "duckdb" here, or "spark" for lists too
    # large for one machine, on *spark_master* (default local[*]).
    engine: str = "duckdb"
    spark_master: str | None = None
