"""Census tables by district, imported from CSV: whole files or nothing."""

import pytest

from powerbase.core.exceptions import PermissionDenied, RowError
from powerbase.power import services
from powerbase.power.models import CensusCount
from tests.conftest import act

CENSUS = b"""district_kind,district,category,group,count
state_house,94,race,Black,"4,120"
state_house,94,race,White,2300
state_house,94,income,Under $35k,3100
"""


@pytest.fixture
def data_director(users_by_role, nutmeg):
    return act(users_by_role["data"], nutmeg)


def test_census_figures_replace_a_districts_category(data_director):
    assert services.import_census(actor=data_director, file_name="acs.csv", content=CENSUS) == 3
    services.import_census(
        actor=data_director,
        file_name="acs2.csv",
        content=(b"district_kind,district,category,group,count\nstate_house,94,race,Black,5000\n"),
    )
    assert sorted(CensusCount.objects.values_list("category", "group", "count")) == [
        ("income", "Under $35k", 3100),
        ("race", "Black", 5000),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"district,category,group,count\n", "acs.csv, row 1, column 'district_kind'"),
        (CENSUS + b"senate,1,race,Black,5\n", "acs.csv, row 5, column 'district_kind'"),
        (CENSUS + b"state_house,94,race,Asian,lots\n", "acs.csv, row 5, column 'count'"),
        (CENSUS + b"state_house,94,race,Black,1\n", "acs.csv, row 5, column 'group'"),
        (CENSUS + b"state_house,94,race,Asian,99999999999\n", "acs.csv, row 5, column 'count'"),
    ],
)
def test_a_bad_census_row_writes_nothing(data_director, content, message):
    with pytest.raises(RowError) as raised:
        services.import_census(actor=data_director, file_name="acs.csv", content=content)
    assert message in raised.value.message
    assert not CensusCount.objects.exists()


def test_an_organizer_may_not_import_census_figures(organizer, nutmeg):
    with pytest.raises(PermissionDenied):
        services.import_census(actor=act(organizer, nutmeg), file_name="a.csv", content=CENSUS)
