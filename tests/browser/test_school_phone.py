"""At a phone's width: open the Democracy School from the menu, nominate a participant with the
type-ahead picker, check the cohort in at a session, and upload a module's handout and
download it again."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions.models import Attendance
from powerbase.core.models import Role
from powerbase.school import services
from powerbase.school.models import Participant
from tests.browser.test_shell import sign_in
from tests.conftest import act, add_member, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def spring(transactional_db, nutmeg, tenant_union):
    """A cohort with one participant (Imani) and its first session starting now."""
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    staff = act(organizer, nutmeg)
    program = services.create_program(actor=staff, name="Democracy School")
    module = services.add_module(actor=staff, program=program, title="Power and self-interest")
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=staff,
        program=program,
        name="Spring, Hartford",
        starts_on=today,
        ends_on=today + datetime.timedelta(weeks=8),
        place="Union hall",
    )
    session = services.add_session(
        actor=staff, cohort=cohort, starts_at=timezone.now(), module=module
    )
    imani = add_member(nutmeg, tenant_union, "Imani", "Coleman")
    services.nominate(actor=staff, cohort=cohort, person=imani, affiliate=tenant_union)
    add_member(nutmeg, tenant_union, "Kateri", "Harris")
    return cohort, session


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_nominate_and_check_in_a_cohort_session_on_a_phone(
    phone, live_server, spring, tenant_union, screenshot
):
    cohort, session = spring
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/school/")
    expect(phone.get_by_role("heading", name="Democracy School", level=1)).to_be_visible()
    phone.get_by_role("link", name="Spring, Hartford").first.click()

    box = phone.get_by_role("combobox", name="Person")
    box.fill("kat")
    expect(phone.get_by_role("listbox", name="People found").get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    phone.get_by_label("Nominated by").select_option(label=tenant_union.name)
    phone.get_by_role("button", name="Nominate").click()
    expect(phone.get_by_text(f"Nominated Kateri Harris for {tenant_union.name}.")).to_be_visible()
    fits(phone)

    phone.get_by_role("link", name="Democracy School: Power and self-interest").click()
    expect(phone.get_by_text("0 of 2 checked in")).to_be_visible()
    phone.get_by_role("button", name="Check in Imani Coleman").click()
    expect(phone.get_by_text("Checked in Imani Coleman.")).to_be_visible()
    expect(phone.get_by_text("1 of 2 checked in")).to_be_visible()
    fits(phone)
    screenshot("school-session-check-in-phone")

    imani = Participant.objects.get(person__given_name="Imani")
    assert Attendance.objects.get(action=session.action).person == imani.person
    assert Participant.objects.filter(cohort=cohort).count() == 2


def test_upload_a_handout_to_a_module_and_download_it_on_a_phone(
    phone, live_server, spring, data_dir, tmp_path
):
    cohort, _ = spring
    handout = tmp_path / "power-map.pdf"
    handout.write_bytes(b"%PDF-1.4\n% a power map worksheet\n%%EOF\n")
    sign_in(phone, live_server, "rosa@nutmeg.example")
    phone.goto(f"{live_server.url}/o/nutmeg/school/programs/{cohort.program_id}/")
    phone.get_by_text("Add a material").click()
    phone.get_by_label("Title").fill("Power map worksheet")
    phone.get_by_label("Or a file").set_input_files(str(handout))
    phone.get_by_role("button", name="Add the material").click()
    expect(
        phone.get_by_text("Added “Power map worksheet” to 1. Power and self-interest.")
    ).to_be_visible()
    fits(phone)

    with phone.expect_download() as downloading:
        phone.get_by_role("link", name="Power map worksheet").click()
    download = downloading.value
    assert download.suggested_filename == "power-map.pdf"
    assert Path(download.path()).read_bytes() == handout.read_bytes()
