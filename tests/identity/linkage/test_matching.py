"""The cases a record linker for an organizing list must get right, on a small fictional town."""

import pytest

from powerbase.identity.linkage import Band, band
from powerbase.identity.linkage.explain import explain
from powerbase.identity.linkage.model import Agreement
from tests.identity.linkage.conftest import crafted_member, crafted_voter


def links_of(result, member_id: str) -> dict[str, float]:
    return {
        row["right_id"]: row["match_probability"]
        for row in result.pairs.to_pylist()
        if row["left_id"] == member_id
    }


def test_a_nickname_links_bill_to_william_even_after_a_move(town_links):
    assert band(links_of(town_links, "C-1")["NC900001"]) is Band.AUTO_ACCEPT


def test_a_swapped_day_and_month_still_links(town_links):
    assert band(links_of(town_links, "C-2")["NC900002"]) is Band.AUTO_ACCEPT


def test_a_shared_household_phone_email_and_address_do_not_link_a_spouse(town_links):
    # Theodore is not registered; his wife Eleanor is, with their shared landline, email
    # and address, and his list has no birth date to tell them apart.
    assert links_of(town_links, "C-3") == {}


def test_a_married_surname_still_links_when_first_name_birth_date_and_address_agree(town_links):
    assert band(links_of(town_links, "C-4")["NC900004"]) is Band.AUTO_ACCEPT


def test_most_members_of_the_town_are_linked_to_their_own_registration(town, town_links):
    actual = {
        (row["member_id"], row["voter_id"]) for row in town.truth.to_pylist() if row["voter_id"]
    }
    accepted = {
        (row["left_id"], row["right_id"])
        for row in town_links.pairs.to_pylist()
        if band(row["match_probability"]) is Band.AUTO_ACCEPT
    }
    true_positives = len(accepted & actual)
    assert true_positives / len(accepted) >= 0.98
    assert true_positives / len(actual) >= 0.93


def test_the_explanation_says_what_agreed_and_adds_up_to_the_score(town_links):
    explanation = explain(town_links.model, crafted_member("C-1"), crafted_voter("NC900001"))
    fields = {field.comparison: field for field in explanation.fields}
    assert fields["first_name"].level.startswith("nickname")
    assert (fields["first_name"].left, fields["first_name"].right) == ("bill", "william")
    assert fields["dob"].agreement is Agreement.AGREES
    assert fields["residence"].agreement is Agreement.DIFFERS
    assert fields["residence"].weight < 0 < fields["last_name"].weight
    total = explanation.prior_weight + sum(field.weight for field in explanation.fields)
    assert explanation.match_weight == pytest.approx(total)
    assert explanation.match_probability == pytest.approx(links_of(town_links, "C-1")["NC900001"])


def test_the_explanation_shows_the_household_phone_as_no_evidence_for_a_spouse(town_links):
    explanation = explain(town_links.model, crafted_member("C-3"), crafted_voter("NC900003"))
    fields = {field.comparison: field for field in explanation.fields}
    assert fields["phone"].left == fields["phone"].right == "2035550147"
    assert fields["phone"].agreement is Agreement.DIFFERS
    assert explanation.band is Band.REJECT


def test_the_model_survives_a_round_trip_through_json(town_links):
    from powerbase.identity.linkage import LinkageModel

    stored = LinkageModel.from_json(town_links.model.to_json())
    again = explain(stored, crafted_member("C-4"), crafted_voter("NC900004"))
    assert again.match_probability == pytest.approx(links_of(town_links, "C-4")["NC900004"])


def test_explaining_a_page_of_pairs_gives_each_the_score_the_run_gave_it(
    town_links, town_members, town_voters
):
    from powerbase.identity.linkage.explain import explain_pairs

    members = {row["Member ID"]: row for row in town_members.to_pylist()}
    voters = {row["voter_id"]: row for row in town_voters.to_pylist()}
    page = town_links.pairs.to_pylist()[:25]
    explanations = explain_pairs(
        town_links.model, [(members[pair["left_id"]], voters[pair["right_id"]]) for pair in page]
    )
    assert [e.match_weight for e in explanations] == pytest.approx(
        [pair["match_weight"] for pair in page]
    )


def test_a_rare_surname_agreeing_counts_for_more_than_a_common_one(
    town_links, town_members, town_voters
):
    from collections import Counter

    from powerbase.identity.linkage.explain import explain_pairs

    members = {row["Member ID"]: row for row in town_members.to_pylist()}
    voters = {row["voter_id"]: row for row in town_voters.to_pylist()}
    holders = Counter(row["last_name"].lower() for row in voters.values() if row["last_name"])
    page = [pair for pair in town_links.pairs.to_pylist() if pair["left_id"] in members][:300]
    explanations = explain_pairs(
        town_links.model, [(members[pair["left_id"]], voters[pair["right_id"]]) for pair in page]
    )
    weight_of = {}
    for explanation in explanations:
        surname = next(f for f in explanation.fields if f.comparison == "last_name")
        if surname.level == "same":
            weight_of[surname.left] = surname.weight
    rarest = min(weight_of, key=lambda name: holders[name])
    commonest = max(weight_of, key=lambda name: holders[name])
    assert holders[rarest] < holders[commonest]
    assert weight_of[rarest] > weight_of[commonest] + 1
    # Still the score the run gave each pair.
    assert [e.match_weight for e in explanations] == pytest.approx(
        [pair["match_weight"] for pair in page]
    )
