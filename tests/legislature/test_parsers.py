"""Property tests: whatever bytes arrive, the vote and people readers either return records or
raise InvalidInput with a sentence naming the file; never anything else."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from powerbase.core.exceptions import InvalidInput
from powerbase.legislature.openstates import read_bills, read_person, read_vote_events
from powerbase.legislature.votefiles import read_votes_csv

HEADER = "roll_call,date,chamber,bill,motion,result,official,vote\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def reads_or_explains(reader, name: str, text: str) -> None:
    try:
        reader(name, text)
    except InvalidInput as error:
        assert name in error.message


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, min_size=8, max_size=8), max_size=5))
def test_any_csv_of_votes_reads_or_names_the_problem(rows):
    text = HEADER + "\n".join(",".join(json.dumps(cell) for cell in row) for row in rows)
    reads_or_explains(read_votes_csv, "votes.csv", text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "motion_text",
                    "result",
                    "start_date",
                    "organization",
                    "votes",
                    "option",
                    "voter_name",
                    "bill",
                    "id",
                    "identifier",
                    "session",
                    "actions",
                    "date",
                    "description",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_any_json_reads_or_names_the_problem(value):
    reads_or_explains(read_vote_events, "votes.json", json.dumps(value))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_yaml_reads_or_names_the_problem(text):
    reads_or_explains(read_person, "person.yml", text)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "party",
                "offices",
                "links",
                "ids",
                "other_identifiers",
                "image",
                "email",
                "given_name",
            ]
        ),
        json_values,
        max_size=6,
    )
)
def test_a_valid_person_with_odd_extra_fields_still_reads(extra):
    person = {
        "id": "ocd-person/x",
        "name": "Ada Quill",
        "roles": [{"type": "upper", "district": "1"}],
        **extra,
    }
    record = read_person("person.yml", json.dumps(person))  # JSON is YAML
    assert record.name == "Ada Quill"


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_any_bill_json_reads_or_names_the_problem(value):
    reads_or_explains(read_bills, "bills.json", json.dumps(value))
