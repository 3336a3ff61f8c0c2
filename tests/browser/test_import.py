"""A data director uploads a roster, fixes a column, reads the check, imports, finds a person."""

import re

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from tests.conftest import PASSWORD, make_user
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.browser

ROSTER = [
    ["First", "Surname", "Cell", "Email", "Shoe size", "Building"],
    ["Ana", "Quiñones", "(203) 555-0100", "ana.q@example.org", "7", "Park Terrace"],
    ["Darnell", "Price", "860-555-0101", "", "11", "Park Terrace"],
    ["Bad", "Phone", "555-01", "bad@example.org", "9", ""],
]


def test_upload_map_check_import_and_find_a_person(
    page, live_server, nutmeg, tenant_union, worker, screenshot, tmp_path
):
    make_user(nutmeg, Role.DATA, email="dmitri@nutmeg.example")
    roster = tmp_path / "park-terrace.csv"
    roster.write_bytes(csv_bytes(ROSTER))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("dmitri@nutmeg.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/o/nutmeg/imports/")
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(roster))
    page.get_by_label("Whose list is it?").select_option(label=tenant_union.name)
    page.get_by_role("button", name="Upload and map columns").click()
    expect(page.get_by_role("heading", name="park-terrace.csv")).to_be_visible()

    # "Building" is not guessed; the data director maps it to tags.
    page.get_by_label("Building").select_option("tags")
    screenshot("import-mapping")
    page.get_by_role("button", name="Check every row").click()
    expect(page.get_by_text("What importing would do")).to_be_visible(timeout=20_000)
    # The bad phone is left out and its row kept; the data director corrects it here.
    left_out = page.get_by_role("cell", name=re.compile("is not a phone number.*left out"))
    expect(left_out).to_be_visible()
    screenshot("import-check")
    page.get_by_label("Corrected value, row 4, column Cell").fill("203-555-0104")
    page.get_by_role("button", name="Re-check row").click()
    expect(page.get_by_text("Row 4 checked again: it will be imported")).to_be_visible()
    page.get_by_role("button", name="Check every row").click()
    expect(page.get_by_text("What importing would do")).to_be_visible(timeout=20_000)

    page.get_by_role("button", name=re.compile(r"Import 3 rows")).click()
    # The progress bar shows while the job runs; a fast job may already be done.
    done = page.get_by_text("What the import did")
    expect(page.get_by_role("progressbar").or_(done).first).to_be_visible()
    expect(done).to_be_visible(timeout=20_000)
    screenshot("import-done")

    page.goto(f"{live_server.url}/o/nutmeg/people/")
    page.get_by_role("searchbox", name="Search").fill("quiñ")
    expect(page.get_by_role("link", name="Ana Quiñones")).to_be_visible()
    page.get_by_role("link", name="Ana Quiñones").click()
    expect(page.get_by_text("Park Terrace")).to_be_visible()
    expect(page.get_by_text("from park-terrace.csv").first).to_be_visible()
    screenshot("import-person")
