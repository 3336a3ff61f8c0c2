"""The voter file pages: who may open them, and what a data director reads on them."""

import pytest
from django.urls import reverse

from powerbase.core.models import Job, Role
from powerbase.voterfile.models import District, VoterFileVersion

from .conftest import FIXTURES, NC_FILES, NC_NEXT_FILES, run_job

# The rows the lead adds to tests/test_url_permissions.py.
# Who may open each page, written by hand (never read from access.ROLE_PERMISSIONS, so a wrong
# grant there fails here).
SEE = {Role.OWNER, Role.ADMIN, Role.DATA, Role.ORGANIZER}
IMPORT = {Role.OWNER, Role.ADMIN, Role.DATA}
VOTERFILE_URL_ACCESS = {
    "voterfile:overview": SEE,
    "voterfile:version": SEE,
    "voterfile:import": IMPORT,
    "voterfile:use": IMPORT,
    "voterfile:districts": SEE,
    "voterfile:district": SEE,
}


@pytest.fixture
def imported(import_voter_file, nutmeg):
    """Two versions of the NC fixture: the second one is in use."""
    import_voter_file(*NC_FILES)
    import_voter_file(*NC_NEXT_FILES)
    return VoterFileVersion.objects.filter(organization=nutmeg).current()


def url(name, organization, **kwargs):
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def page(client, user, name, organization, **kwargs):
    client.force_login(user)
    return client.get(url(name, organization, **kwargs))


def test_each_page_admits_exactly_the_roles_whose_permission_it_needs(
    client, users_by_role, nutmeg, imported
):
    district = District.objects.filter(organization=nutmeg).first()
    arguments = {
        "voterfile:version": {"number": 1},
        "voterfile:use": {"number": 1},
        "voterfile:district": {"district_id": district.pk},
    }
    for name, admitted in VOTERFILE_URL_ACCESS.items():
        for role, user in users_by_role.items():
            response = page(client, user, name, nutmeg, **arguments.get(name, {}))
            expected = 200 if role in admitted else 403
            assert response.status_code == expected, (name, role, response.status_code)


def test_another_organizations_owner_finds_no_voter_file_here(client, outsider, nutmeg, imported):
    district = District.objects.filter(organization=nutmeg).first()
    assert page(client, outsider, "voterfile:overview", nutmeg).status_code == 404
    client.force_login(outsider)
    assert (
        client.get(
            url(
                "voterfile:district",
                outsider.memberships.get().organization,
                district_id=district.pk,
            )
        ).status_code
        == 404
    )


def test_the_overview_shows_what_changed_and_the_rows_left_out_with_their_lines(
    client, users_by_role, nutmeg, imported, import_voter_file
):
    response = page(client, users_by_role[Role.DATA], "voterfile:overview", nutmeg)
    text = response.content.decode()
    assert "In use: version 2" in text
    assert "New registrations" in text and "Party changes" in text
    assert "Import a new version" in text
    version_one = page(
        client, users_by_role[Role.DATA], "voterfile:version", nutmeg, number=1
    ).content.decode()
    assert "ncvoter_Statewide.txt" in version_one
    assert "The row has too few columns (expected 67)." in version_one
    assert '<td data-label="Line">9</td>' in version_one


def test_the_version_page_shows_examples_of_each_change(client, users_by_role, nutmeg, imported):
    text = page(
        client, users_by_role[Role.ORGANIZER], "voterfile:version", nutmeg, number=2
    ).content.decode()
    assert "Temi Folayan" in text
    assert "9 HILLSBOROUGH ST RALEIGH 27603" in text
    assert "Import a new version" not in text


def test_an_organizer_sees_the_voter_file_but_not_the_import_button(
    client, users_by_role, nutmeg, imported
):
    text = page(
        client, users_by_role[Role.ORGANIZER], "voterfile:overview", nutmeg
    ).content.decode()
    assert "Import a new version" not in text


def test_the_districts_list_filters_by_kind_and_sorts_by_voter_count(
    client, users_by_role, nutmeg, imported
):
    client.force_login(users_by_role[Role.ORGANIZER])
    response = client.get(url("voterfile:districts", nutmeg) + "?kind=precinct&sort=voters")
    districts = list(response.context["page"])
    assert {district.kind for district in districts} == {"precinct"}
    counts = [district.voter_count for district in districts]
    assert counts == sorted(counts, reverse=True)
    assert districts[0].code == "32/05"
    ascending = client.get(url("voterfile:districts", nutmeg) + "?kind=precinct&sort=-voters")
    assert list(ascending.context["page"])[0].voter_count == min(counts)


def test_the_districts_list_reads_the_same_number_of_queries_however_many_districts(
    client, users_by_role, nutmeg, imported, django_assert_num_queries
):
    client.force_login(users_by_role[Role.ORGANIZER])
    with django_assert_num_queries(13):
        client.get(url("voterfile:districts", nutmeg))
    with django_assert_num_queries(13):
        client.get(url("voterfile:districts", nutmeg) + "?kind=precinct")


def test_a_district_page_shows_its_voters_by_party_and_turnout(
    client, users_by_role, nutmeg, import_voter_file
):
    import_voter_file(*NC_FILES)
    house = District.objects.get(organization=nutmeg, kind="state_house", code="34")
    response = page(
        client, users_by_role[Role.ORGANIZER], "voterfile:district", nutmeg, district_id=house.pk
    )
    text = response.content.decode()
    assert "State house district 34" in text
    assert response.context["profile"]["parties"] == [("DEM", 2), ("REP", 1)]
    # Adaeze voted in all of the last four primaries, Lucia and Peter in none.
    assert response.context["profile"]["primaries"] == {0: 2, 1: 0, 2: 0, 3: 0, 4: 1}
    assert "The base here: people and leaders" in text


def test_a_data_director_uploads_files_and_follows_the_import(
    client, users_by_role, nutmeg, django_capture_on_commit_callbacks, data_dir
):
    client.force_login(users_by_role[Role.DATA])
    with (
        (FIXTURES / NC_FILES[0]).open("rb") as voters,
        (FIXTURES / NC_FILES[1]).open("rb") as history,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            url("voterfile:import", nutmeg),
            {"layout": "nc", "files": [voters, history], "mapping": ""},
        )
    job = Job.objects.get(kind="voterfile.import")
    assert response.url == url("core:job", nutmeg, job_id=job.pk)
    job = run_job(job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    version = VoterFileVersion.objects.get(organization=nutmeg)
    assert (version.voter_count, version.vote_count) == (10, 19)
    assert job.started_by == users_by_role[Role.DATA]
    assert not any((data_dir / "uploads" / "voterfile" / "nutmeg").iterdir())


def test_an_upload_with_the_wrong_layout_is_refused_with_the_reason(client, users_by_role, nutmeg):
    client.force_login(users_by_role[Role.DATA])
    with (FIXTURES / "fl/LEO_20240109.txt").open("rb") as upload:
        response = client.post(
            url("voterfile:import", nutmeg), {"layout": "nc", "files": [upload], "mapping": ""}
        )
    assert response.status_code == 200
    assert (
        "LEO_20240109.txt does not look like a file of the North Carolina"
        in response.context["form"].errors["files"][0]  # next to the files it is about
    )
    assert not Job.objects.exists()


def test_a_mapping_line_naming_no_field_is_refused_on_the_form(client, users_by_role, nutmeg):
    client.force_login(users_by_role[Role.DATA])
    with (FIXTURES / "generic/county_export.csv").open("rb") as upload:
        response = client.post(
            url("voterfile:import", nutmeg),
            {"layout": "generic", "files": [upload], "mapping": "hair_colour=Hair"},
        )
    assert "Mapping line 1 names &#x27;hair_colour&#x27;" in response.content.decode()


def test_the_import_form_starts_on_the_layout_of_the_organizations_state(
    client, users_by_role, nutmeg
):
    response = page(client, users_by_role[Role.DATA], "voterfile:import", nutmeg)
    assert response.context["form"]["layout"].value() == "ct"  # Nutmeg is in Connecticut


def test_the_version_page_links_its_import_job_only_for_those_who_may_open_it(
    client, users_by_role, nutmeg, imported
):
    """An organizer follows only the jobs they started: a link to the data director's is a 404."""
    job_url = url("core:job", nutmeg, job_id=imported.job_id)
    for role, linked in ((Role.DATA, True), (Role.ORGANIZER, False)):
        text = page(client, users_by_role[role], "voterfile:version", nutmeg, number=2)
        assert (job_url in text.content.decode()) is linked, role
        assert f"job {imported.job_id}" in text.content.decode()
        client.force_login(users_by_role[role])
        assert client.get(job_url).status_code == (200 if linked else 404)
