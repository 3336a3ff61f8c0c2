"""Hostile results and census files: a clear refusal naming the file, or a clean import;
never a server error and never a partial write."""

import csv
import io

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbase.core.exceptions import InvalidInput
from powerbase.electoral import services
from powerbase.electoral.models import ResultLine
from powerbase.power import services as power
from powerbase.power.models import CensusCount
from tests.conftest import act

CELLS = st.one_of(
    st.sampled_from(
        [
            "Democratic primary 2024",
            "2024-08-13",
            "12",
            "1,200",
            "-3",
            "0",
            "",
            "=cmd()",
            "State House 94",
            "x" * 300,
            "state_house",
            "race",
            "Ana Reyes",
        ]
    ),
    st.text(max_size=10),
)
HEADER = st.lists(
    st.sampled_from(
        [
            "election",
            "race",
            "candidate",
            "votes",
            "precinct",
            "party",
            "incumbent",
            "district_kind",
            "district",
            "category",
            "group",
            "count",
            "",
            "Votes ",
        ]
    ),
    min_size=1,
    max_size=7,
)


@st.composite
def hostile_files(draw) -> bytes:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=300))
    header = draw(HEADER)
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 1), max_size=6))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-16"])), "replace")


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(content=hostile_files())
def test_any_results_file_is_refused_whole_or_imported(manager, primary_2024, content):
    with transaction.atomic():
        try:
            services.import_results(actor=manager, file_name="hostile.csv", content=content)
        except InvalidInput as refusal:
            assert refusal.message.startswith("hostile.csv")
            assert not ResultLine.objects.exists()
        transaction.set_rollback(True)


@FUZZ
@given(content=hostile_files())
def test_any_census_file_is_refused_whole_or_imported(users_by_role, nutmeg, content):
    actor = act(users_by_role["data"], nutmeg)
    with transaction.atomic():
        try:
            power.import_census(actor=actor, file_name="hostile.csv", content=content)
        except InvalidInput as refusal:
            assert refusal.message.startswith("hostile.csv")
            assert not CensusCount.objects.exists()
        transaction.set_rollback(True)
