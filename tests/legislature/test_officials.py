"""Officials: the Open States people import (fictional fixtures and, where present, the real
CT legislators read in place), manual entry, district links and the bloc."""

from datetime import date

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import AuditEntry
from powerbase.legislature import services
from powerbase.legislature.models import Chamber, Official
from powerbase.legislature.openstates import read_person
from powerbase.voterfile.models import District, VoterFileVersion
from tests.legislature.conftest import FIXTURES, shared_openstates

TODAY = date(2027, 3, 1)


def fixture_files() -> list[tuple[str, str]]:
    return [(path.name, path.read_text()) for path in sorted(FIXTURES.glob("*.yml"))]


@pytest.fixture
def districts(nutmeg):
    version = VoterFileVersion.objects.create(
        organization=nutmeg, number=1, file_name="x.duckdb", layout="ct"
    )
    return {
        (kind, code): District.objects.create(
            organization=nutmeg, kind=kind, code=code, version=version
        )
        for kind, code in [
            ("state_house", "7"),
            ("state_senate", "12"),
            ("state_senate", "10"),
            ("state_house", "111"),
        ]
    }


def test_a_person_file_gives_name_seat_fusion_party_contact_and_ids():
    record = read_person("rosa.yml", fixture_files()[1][1], today=TODAY)
    assert record.name == "Rosa Alvarez-Finch"
    assert (record.chamber, record.district_code, record.office) == (
        Chamber.LOWER,
        "7",
        "State Representative",
    )
    assert record.party == "Democratic/Working Families"
    assert record.jurisdiction == "Connecticut"
    assert record.phone == "860-555-0101" and record.email.endswith("@legislature.example")
    assert record.identifiers == {"legacy_openstates": "CTL999001"}
    assert record.term_starts == date(2025, 1, 8) and record.is_current


def test_the_current_role_wins_over_an_old_one_and_ended_party_lines_drop():
    files = dict(fixture_files())
    wren = read_person(
        "wren.yml", files["Tobias-Wren-0f0e0d0c-0000-4000-8000-000000000002.yml"], today=TODAY
    )
    assert (wren.chamber, wren.district_code, wren.name) == (Chamber.UPPER, "12", "Tobías Wren")
    assert wren.office_address.startswith("12 Fictional Lane")  # no capitol office: the first
    osei = read_person(
        "osei.yml", files["Imani-Osei-0f0e0d0c-0000-4000-8000-000000000003.yml"], today=TODAY
    )
    assert osei.party == "Working Families"


@pytest.mark.parametrize(
    "text, field",
    [
        ("id: ocd-person/x\nroles: []\n", "'name'"),
        ("id: nope\nname: A\n", "'id'"),
        ("id: ocd-person/x\nname: A\nroles: []\n", "'roles'"),
        ("id: ocd-person/x\nname: A\nroles:\n- type: lower\n  start_date: someday\n", "start_date"),
        ("name: [unclosed\n", "not readable YAML"),
    ],
)
def test_a_bad_person_file_is_refused_naming_the_file_and_field(text, field):
    with pytest.raises(InvalidInput) as error:
        read_person("bad.yml", text)
    assert "bad.yml" in error.value.message and field in error.value.message


def test_importing_creates_officials_linked_to_districts_then_updates_in_place(
    nutmeg, manager, districts
):
    summary = services.import_people(actor=manager, files=fixture_files(), today=TODAY)
    assert len(summary.created) == 3 and summary.with_district == 3
    rosa = Official.objects.get(name="Rosa Alvarez-Finch")
    assert rosa.district == districts[("state_house", "7")]
    assert rosa.party_lines == ["Democratic", "Working Families"]
    assert rosa.source == Official.Source.OPENSTATES

    again = services.import_people(actor=manager, files=fixture_files(), today=TODAY)
    assert (again.created, again.updated, again.unchanged) == ([], [], 3)
    changed = [
        (name, text.replace("860-555-0101", "860-555-0199")) for name, text in fixture_files()
    ]
    third = services.import_people(actor=manager, files=changed, today=TODAY)
    assert third.updated == ["Rosa Alvarez-Finch"]
    assert Official.objects.count() == 3
    assert Official.objects.get(pk=rosa.pk).phone == "860-555-0199"
    assert AuditEntry.objects.filter(action="officials.imported").count() == 3


def test_one_bad_file_writes_nothing(nutmeg, manager):
    files = [*fixture_files(), ("broken.yml", "id: ocd-person/y\nname: B\nroles: 3\n")]
    with pytest.raises(InvalidInput, match="broken.yml"):
        services.import_people(actor=manager, files=files)
    assert not Official.objects.exists()


def test_a_viewer_may_not_import(reader):
    from powerbase.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_people(actor=reader, files=fixture_files())


def test_the_command_imports_a_folder_of_fictional_files(nutmeg):
    result = CliRunner().invoke(app, ["officials", "import", str(FIXTURES), "--org", "nutmeg"])
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    assert Official.objects.filter(organization=nutmeg).count() == 3


REAL_FILES = [
    "Aimee-Berger-Girvalo-b43c741a-89b2-4e46-abfc-1d75f26189fe.yml",
    "Dave-DeFronzo-9c30cf12-f07a-4c35-be3f-97bd3a778767.yml",
    "Julio-A-Concepcion-d44bd84a-b02c-4c1b-94ee-05c8b1008e57.yml",
    "Aundre-Bumgardner-32ad6577-b1ee-411f-9dca-e40e06226703.yml",
]


@pytest.fixture
def real_folder():
    folder = shared_openstates()
    if folder is None:
        pytest.skip(
            "The real Open States CT files are not here (../shared/data/openstates-ct "
            "is absent on a fresh clone); the fictional fixtures cover the format."
        )
    return folder


def test_real_ct_legislators_import_with_their_public_facts(nutmeg, manager, real_folder, tmp_path):
    """A few real files (public domain), read in place: facts only, no votes or scores."""
    for name in REAL_FILES:
        (tmp_path / name).symlink_to(real_folder / name)
    result = CliRunner().invoke(app, ["officials", "import", str(tmp_path), "--org", "nutmeg"])
    assert result.exit_code == 0, result.output
    officials = {o.family_name: o for o in Official.objects.filter(organization=nutmeg)}
    assert len(officials) == 4
    assert officials["Concepción"].name == "Julio Concepción"
    assert officials["Concepción"].district_code == "4"
    assert officials["DeFronzo"].party == "Democratic/Working Families"
    assert officials["Bumgardner"].term_starts == date(2023, 1, 4)
    assert all(
        o.chamber == Chamber.LOWER and o.jurisdiction == "Connecticut" for o in officials.values()
    )
    assert not any(o.votes.exists() or o.pledges.exists() for o in officials.values())


def test_every_real_ct_file_reads(real_folder):
    records = [
        read_person(path.name, path.read_text(encoding="utf-8"))
        for path in sorted(real_folder.glob("*.yml"))
    ]
    assert len(records) >= 187
    current = [r for r in records if r.is_current]
    assert sum(r.chamber == Chamber.UPPER for r in current) == 36
    assert sum(r.chamber == Chamber.LOWER for r in current) == 151


def test_a_council_member_is_entered_by_hand(manager):
    alder = services.create_official(
        actor=manager,
        name="Noor Haddad",
        chamber=Chamber.COUNCIL,
        office="Alder, Ward 7",
        jurisdiction="New Haven",
        party="Working Families",
    )
    assert alder.seat_label == "Alder, Ward 7" and alder.district is None
    with pytest.raises(InvalidInput, match="chamber"):
        services.create_official(actor=manager, name="X", chamber="moon")


def test_bloc_membership_has_dates_and_no_overlap(manager, senate):
    from powerbase.legislature import queries

    assert {o.name for o in queries.bloc(manager)} == {"Ada Quill", "Bea Marsh", "Cy Thorne"}
    with pytest.raises(Conflict):
        services.join_bloc(actor=manager, official=senate["ada"])
    membership = senate["cy"].bloc_memberships.get()
    services.leave_bloc(actor=manager, membership=membership, left_on=date(2026, 2, 1))
    assert senate["cy"].pk not in queries.bloc_ids(manager.organization)
    assert senate["cy"].pk in queries.bloc_ids(manager.organization, on=date(2025, 6, 1))


def test_officials_whose_files_are_gone_can_be_retired(nutmeg, manager, tmp_path):
    services.import_people(actor=manager, files=fixture_files(), today=TODAY)
    hand = services.create_official(
        actor=manager,
        name="Noor Haddad",
        chamber=Chamber.UPPER,
        district_code="30",
        jurisdiction="Connecticut",
    )
    kept = [item for item in fixture_files() if "Osei" not in item[0]]
    summary = services.import_people(actor=manager, files=kept, today=TODAY)
    assert summary.retired == [] and Official.objects.filter(is_current=True).count() == 4
    for name, text in kept:
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(
        app, ["officials", "import", str(tmp_path), "--org", "nutmeg", "--retire-missing"]
    )
    assert result.exit_code == 0, result.output
    assert "no longer in office: Imani Osei" in " ".join(result.output.split())
    assert not Official.objects.get(name="Imani Osei").is_current
    hand.refresh_from_db()
    assert hand.is_current  # entered by hand: not Open States' to retire


def test_officials_imported_before_the_voter_file_link_to_its_districts_later(nutmeg, manager):
    services.import_people(actor=manager, files=fixture_files(), today=TODAY)
    assert not Official.objects.filter(district__isnull=False).exists()
    version = VoterFileVersion.objects.create(
        organization=nutmeg, number=1, file_name="x.duckdb", layout="ct"
    )
    District.objects.create(organization=nutmeg, kind="state_house", code="007", version=version)
    result = CliRunner().invoke(app, ["officials", "link-districts", "--org", "nutmeg"])
    assert result.exit_code == 0 and "Linked 1 official " in result.output
    assert Official.objects.get(name="Rosa Alvarez-Finch").district.code == "007"
