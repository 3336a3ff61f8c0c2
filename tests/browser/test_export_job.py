"""A data director exports a list too long to wait for: a progress page, then the file."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from powerbase.core.models import Role
from tests.conftest import PASSWORD, add_member, make_user

pytestmark = pytest.mark.browser


def test_a_big_export_shows_its_progress_then_downloads_every_row(
    page, live_server, settings, nutmeg, tenant_union, teachers_union, worker, screenshot
):
    settings.EXPORT_INLINE_LIMIT = 3  # so a handful of people makes a "big" export
    for number in range(8):
        affiliate = tenant_union if number % 2 else teachers_union
        add_member(nutmeg, affiliate, f"Testperson{number}", "Exportwell")
    make_user(nutmeg, Role.DATA, email="dmitri@nutmeg.example")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("dmitri@nutmeg.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/o/nutmeg/people/")
    page.get_by_role("link", name="CSV", exact=True).click()
    expect(page.get_by_role("heading", name="Export people")).to_be_visible()
    # The bar shows while the job runs; a fast worker may already have finished.
    link = page.get_by_role("link", name="Download nutmeg-people-")
    expect(page.get_by_role("progressbar").or_(link).first).to_be_visible()
    expect(link).to_be_visible(timeout=30_000)
    expect(page.locator(".job-progress")).to_contain_text("(8 rows")
    screenshot("export-job-ready")

    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename.startswith("nutmeg-people-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["id", "given_name", "middle_name", "family_name"]
    assert len(rows) == 1 + 8
    assert {row[3] for row in rows[1:]} == {"Exportwell"}

    page.goto(f"{live_server.url}/o/nutmeg/exports/")
    expect(page.get_by_role("link", name=download.suggested_filename)).to_be_visible()
