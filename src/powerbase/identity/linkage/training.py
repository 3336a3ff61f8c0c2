"""Train the model on the data at hand: the prior, then u from random pairs, then m by EM.

No labelled pairs are needed. The prior (how likely two random records are to match) comes
from counting pairs that agree exactly on name and birth date; u probabilities from a large
sample of random pairs; m probabilities from expectation maximisation on blocked pairs, in
sessions chosen so that every comparison is trained at least once.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from splink import Linker

from powerbase.identity.linkage.model import (
    DETERMINISTIC_RULES,
    EM_TRAINING_RULES,
    rules_for,
)

if TYPE_CHECKING:
    from powerbase.identity.linkage.pipeline import LinkageSettings

NOT_OBSERVED = "level not observed"


@dataclass(frozen=True)
class LinkageModel:
    """A trained model: the Splink settings with their m and u probabilities, JSON-ready."""

    splink_settings: dict

    def to_json(self) -> str:
        """Return the model as JSON, to store next to the links it produced."""
        return json.dumps(self.splink_settings, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "LinkageModel":
        """Return the model stored by `to_json`."""
        return cls(splink_settings=json.loads(text))

    @property
    def link_type(self) -> str:
        return self.splink_settings["link_type"]

    def weights(self) -> dict[str, list[dict]]:
        """Return, per comparison, each level's label, m, u and weight (log2 m/u, in bits)."""
        from powerbase.identity.linkage.explain import level_weights

        return level_weights(self)


@dataclass
class TrainedLinker:
    """A live Splink linker during a run."""

    linker: Linker

    def frozen(self) -> LinkageModel:
        return LinkageModel(splink_settings=self.linker.misc.save_model_to_json())


def train(linker: Linker, inputs, link_type: str, available: set[str],
          settings: "LinkageSettings", *, report: Callable[[str], object]) -> TrainedLinker:
    """Estimate the prior, u and m for *linker*'s model; return a linker holding them.

    u probabilities of levels that no random pair reached (the rarest, most telling ones,
    like "same phone and a compatible first name") get 1 / sampled pairs instead of Splink's
    arbitrary default: the most the sample allows, so their weight is never overstated.
    """
    training = linker.training
    report("estimating how likely two random records are to match")
    deterministic = [rule.splink() for rule in rules_for(DETERMINISTIC_RULES, available)]
    if deterministic:
        training.estimate_probability_two_random_records_match(
            deterministic, recall=settings.deterministic_recall)
    report("estimating u probabilities from random pairs")
    training.estimate_u_using_random_sampling(max_pairs=settings.u_sample_pairs,
                                              seed=settings.seed)
    model = linker.misc.save_model_to_json()
    _fill_unobserved_u(model, floor=1 / settings.u_sample_pairs)
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)
    for rule in rules_for(EM_TRAINING_RULES, available):
        report(f"estimating m probabilities by EM on pairs agreeing on "
               f"{' and '.join(rule.columns)}")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule.splink(), max_pairs=settings.em_max_pairs)
    return TrainedLinker(linker)


def _fill_unobserved_u(model: dict, *, floor: float) -> None:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            u = level.get("u_probability")
            if u is None or u == NOT_OBSERVED or u == 0:
                level["u_probability"] = floor
