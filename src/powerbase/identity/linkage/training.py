"""Train the model on the data at hand: the prior, then u from random pairs, then m by EM.

No labelled pairs are needed. The prior (how likely two random records are to match) comes
from counting pairs that agree exactly on names and birth date; u probabilities from a large
sample of random pairs; m probabilities from expectation maximisation on blocked pairs, in
sessions chosen so that every comparison is trained at least once, starting from the values
in model.py (which stay when a list is too small for EM).
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from splink import Linker

from powerbase.identity.linkage.engines import as_duckdb, for_dialect
from powerbase.identity.linkage.model import (
    DETERMINISTIC_RULES,
    EM_TRAINING_RULES,
    EXTRA_PREFIX,
    BlockingRule,
    Comparison,
    comparison_named,
    rules_for,
    splink_settings,
)
from powerbase.identity.linkage.settings import LinkageSettings
from powerbase.identity.linkage.sources import Workspace

NOT_OBSERVED = "level not observed"
# Splink's floor for m and u, so a level never observed does not weigh infinitely.
M_U_FLOOR = 1e-10
# EM needs enough pairs of both kinds to tell matches from non-matches apart.
MIN_EM_PAIRS = 100
# A name's frequency counts the pair's own two records: in a list of a few dozen that alone
# makes every name look common. Below this many records (both lists), names weigh the same.
MIN_RECORDS_FOR_TERM_FREQUENCIES = 1000


@dataclass(frozen=True)
class LinkageModel:
    """A trained model: the Splink settings with their m and u probabilities, JSON-ready.

    `term_frequencies` holds, for each column whose frequency adjusts a weight (first and
    last name), the share of the run's records with each value, for the values of the pairs
    the run returned: what an explanation of those pairs needs to add up to their score.
    """

    splink_settings: dict
    term_frequencies: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the model as JSON, to store next to the links it produced."""
        return json.dumps(
            {"splink_settings": self.splink_settings, "term_frequencies": self.term_frequencies},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "LinkageModel":
        """Return the model stored by `to_json`."""
        stored = json.loads(text)
        return cls(stored["splink_settings"], stored.get("term_frequencies", {}))

    @property
    def link_type(self) -> str:
        return self.splink_settings["link_type"]

    @property
    def prior_weight(self) -> float:
        """The log2 odds that two random records match, before any comparison."""
        prior = self.splink_settings["probability_two_random_records_match"]
        return math.log2(prior / (1 - prior))

    def comparisons(self) -> list[tuple[Comparison, list[float]]]:
        """Return each comparison the model uses with the weight of each of its levels."""
        return [
            (comparison, [_weight(level) for level in trained["comparison_levels"]])
            for comparison, trained in self._trained_comparisons()
        ]

    def weights(self) -> dict[str, list[dict]]:
        """Return, per comparison, each level's label, m, u and weight (log2 m/u, in bits)."""
        return {
            comparison.name: [
                {
                    "label": level.label,
                    "agreement": level.agreement.value,
                    "m": trained_level.get("m_probability"),
                    "u": trained_level.get("u_probability"),
                    "weight": _weight(trained_level),
                }
                for level, trained_level in zip(
                    comparison.levels, trained["comparison_levels"], strict=True
                )
            ]
            for comparison, trained in self._trained_comparisons()
        }

    def term_frequency_weight(self, comparison: str, level: int, value: str | None) -> float:
        """Return the bits a *value* adds to *level* of *comparison* for being rare or common.

        Splink's adjustment: log2(u / frequency), where u is the level's own u (the chance a
        random pair agrees on any value) and frequency the value's share of the records.
        Zero for a level without one, or a value the model holds no frequency for.
        """
        trained = self._trained(comparison)["comparison_levels"][level]
        column = trained.get("tf_adjustment_column")
        frequency = self.term_frequencies.get(column or "", {}).get(value or "")
        if not column or not frequency:
            return 0.0
        u = max(float(trained.get("u_probability") or M_U_FLOOR), M_U_FLOOR)
        floor = float(trained.get("tf_minimum_u_value", 0.0))
        adjustment = float(trained.get("tf_adjustment_weight", 1.0))
        return adjustment * (math.log2(u) - math.log2(max(frequency, floor)))

    def _trained(self, name: str) -> dict:
        return next(
            trained
            for trained in self.splink_settings["comparisons"]
            if trained["output_column_name"] == name
        )

    @property
    def extra_columns(self) -> list[str]:
        """The shared columns no field claims that the model compares (x_state, ...)."""
        return [
            trained["output_column_name"]
            for trained in self.splink_settings["comparisons"]
            if trained["output_column_name"].startswith(EXTRA_PREFIX)
        ]

    def _trained_comparisons(self) -> list[tuple[Comparison, dict]]:
        return [
            (comparison_named(trained["output_column_name"]), trained)
            for trained in self.splink_settings["comparisons"]
        ]


def _weight(trained_level: dict) -> float:
    """Return a trained level's weight, log2(m/u), with Splink's floor for m and u."""
    if trained_level.get("is_null_level"):
        return 0.0
    m = max(float(trained_level.get("m_probability") or M_U_FLOOR), M_U_FLOOR)
    u = max(float(trained_level.get("u_probability") or M_U_FLOOR), M_U_FLOOR)
    return math.log2(m / u)


@dataclass
class TrainedLinker:
    """A live Splink linker during a run."""

    linker: Linker

    def frozen(self, term_frequencies: dict[str, dict[str, float]] | None = None) -> LinkageModel:
        """Return the trained model, its SQL in DuckDB's dialect whichever engine trained it."""
        return LinkageModel(
            as_duckdb(self.linker.misc.save_model_to_json()), term_frequencies or {}
        )

    def term_frequency_columns(self) -> list[str]:
        """Return the columns whose value frequencies adjust a level's weight."""
        return sorted(
            {
                level["tf_adjustment_column"]
                for trained in self.linker.misc.save_model_to_json()["comparisons"]
                for level in trained["comparison_levels"]
                if level.get("tf_adjustment_column")
            }
        )


def train(
    inputs,
    link_type: str,
    available: set[str],
    settings: LinkageSettings,
    *,
    dialect: str = "duckdb",
    workspace: Workspace,
    tables: list[str],
    report: Callable[[str], object],
) -> TrainedLinker:
    """Estimate the prior, u and m for a model over the normalised *tables*; return its linker.

    u probabilities of levels that no random pair reached (the rarest, most telling ones,
    like "same phone and a compatible first name") get 1 / sampled pairs instead of Splink's
    arbitrary default: the most the sample allows, so their weight is never overstated. An
    EM session with too few pairs to learn from is skipped, keeping the starting m values.
    """
    pairs = Pairs(workspace, tables, link_type)
    model = splink_settings(link_type, available)
    if pairs.records < MIN_RECORDS_FOR_TERM_FREQUENCIES:
        _without_term_frequencies(model)
    report("estimating how likely two random records are to match")
    model["probability_two_random_records_match"] = _prior(pairs, available, settings)
    linker = _linker(inputs, for_dialect(model, dialect))
    report("estimating u probabilities from random pairs")
    sampled = min(
        settings.u_sample_pairs, pairs.total, max(1e6, settings.u_pairs_per_record * pairs.smallest)
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=sampled, seed=settings.seed)
    model = linker.misc.save_model_to_json()
    _fill_unobserved_u(model, floor=1 / max(sampled, 1))
    _ungate_u(model, pairs)
    linker = _linker(inputs, model)
    for rule in rules_for(EM_TRAINING_RULES, available):
        agreeing = " and ".join(rule.columns)
        if pairs.agreeing_on(rule.columns) < MIN_EM_PAIRS:
            report(f"too few pairs agree on {agreeing} to train on; keeping starting values")
            continue
        report(f"estimating m probabilities by EM on pairs agreeing on {agreeing}")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule.splink(), max_pairs=settings.em_max_pairs
        )
    return TrainedLinker(linker)


class Pairs:
    """Counts of record pairs in a run's normalised tables, by exact agreement on columns."""

    def __init__(self, workspace: Workspace, tables: list[str], link_type: str):
        self.workspace, self.tables, self.link_type = workspace, tables, link_type
        sizes = [workspace.scalar(f"SELECT count(*) FROM {table}") for table in tables]  # noqa: S608
        self.smallest = min(sizes)
        self.records = sum(sizes)
        self.total = (
            sizes[0] * sizes[1] if link_type == "link_only" else (sizes[0] * (sizes[0] - 1) // 2)
        )

    def agreeing_on(self, columns: tuple[str, ...]) -> int:
        """Return how many pairs agree exactly on every one of *columns* (nulls never agree)."""
        keys = ", ".join(columns)
        present = " AND ".join(f"{column} IS NOT NULL" for column in columns)
        groups = [
            f"SELECT {keys}, count(*) AS n FROM {table} WHERE {present} GROUP BY ALL"  # noqa: S608
            for table in self.tables
        ]
        if self.link_type == "link_only":
            sql = (
                f"SELECT sum(l.n * r.n) FROM ({groups[0]}) AS l "  # noqa: S608
                f"JOIN ({groups[1]}) AS r USING ({keys})"
            )
        else:
            sql = f"SELECT sum(n * (n - 1) / 2) FROM ({groups[0]})"  # noqa: S608
        return int(self.workspace.scalar(sql) or 0)


def _prior(pairs: Pairs, available: set[str], settings: LinkageSettings) -> float:
    """Estimate the probability that two random records match.

    Count the pairs that agree exactly on names and one more field, assume they are the
    given share (`deterministic_recall`) of all true pairs, and divide by all pairs. Keep at
    least one expected match, so a small list without exact duplicates still scores.
    """
    rules = rules_for(DETERMINISTIC_RULES, available)
    rule = rules[0] if rules else BlockingRule(("first_name", "last_name"))
    expected = pairs.agreeing_on(rule.columns) / settings.deterministic_recall
    return min(0.5, max(expected, 1.0) / max(pairs.total, 1))


def _linker(inputs, model: dict) -> Linker:
    return Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)


def _ungate_u(model: dict, pairs: "Pairs") -> None:
    """Raise the u of each gated level to the share of all pairs agreeing on its column.

    See Level.u_at_least_agreeing_on: without this, "same zip" between a Maria and a Maria
    weighs as if the zip had said the first names agree, and a namesake born the same year
    in the same zip outscores the prior.
    """
    total = max(pairs.total, 1)
    # True pairs agree too; on a short list they would be most of the agreeing pairs.
    expected_matches = model["probability_two_random_records_match"] * total
    for trained in model["comparisons"]:
        comparison = comparison_named(trained["output_column_name"])
        for level, trained_level in zip(
            comparison.levels, trained["comparison_levels"], strict=True
        ):
            if not level.u_at_least_agreeing_on:
                continue
            agreeing = pairs.agreeing_on(level.u_at_least_agreeing_on)
            share = max(agreeing - expected_matches, 0) / total
            trained_level["u_probability"] = max(float(trained_level["u_probability"]), share)


def _without_term_frequencies(model: dict) -> None:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)


def _fill_unobserved_u(model: dict, *, floor: float) -> None:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            u = level.get("u_probability")
            if u is None or u == NOT_OBSERVED or u == 0:
                level["u_probability"] = floor
