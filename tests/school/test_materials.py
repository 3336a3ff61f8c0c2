"""Materials as files: an organizer uploads a handout to a module from the web, everyone who
reads the school downloads it through the permission-checked view (never a public URL), and a
file of the wrong kind, too big or alongside a link is refused with nothing left behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powerbase.core.exceptions import InvalidInput
from powerbase.school import services, storage
from powerbase.school.models import Material

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def url(name: str, **kwargs) -> str:
    return reverse(f"school:{name}", kwargs={"org": "nutmeg", **kwargs})


@pytest.fixture
def module(program):
    return program.modules.get(position=1)


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir):
    """Uploaded files go under the data dir: each test in a folder of its own."""


def stored_files(organization) -> list[str]:
    folder = storage.material_folder(organization)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_an_organizer_uploads_a_handout_and_a_affiliate_lead_downloads_it(
    client, organizer, affiliate_lead, module, nutmeg
):
    client.force_login(organizer)
    response = client.post(
        url("material_new", module_id=module.pk),
        {"title": "Power map worksheet (print)", "file": SimpleUploadedFile("map.pdf", PDF)},
        follow=True,
    )
    assert "Added “Power map worksheet (print)”" in response.content.decode()
    material = Material.objects.get(title="Power map worksheet (print)")
    assert (material.file_name, material.size, material.url) == ("map.pdf", len(PDF), "")
    assert stored_files(nutmeg) == [material.stored_name]

    client.force_login(affiliate_lead)
    page = client.get(url("program", program_id=module.program_id)).content.decode()
    download = url("material_file", material_id=material.pk)
    assert f'href="{download}"' in page
    assert "map.pdf" in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="map.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_handout_is_not_found_from_another_organization_or_signed_out(
    client, staff, module, outsider
):
    material = services.add_material_file(
        actor=staff, module=module, title="Agenda", file_name="agenda.txt", content=b"Power\n"
    )
    download = url("material_file", material_id=material.pk)
    assert client.get(download)["Location"].startswith("/login/")
    client.force_login(outsider)
    assert client.get(download).status_code == 404


def test_a_link_has_no_file_to_download(client, viewer, program):
    link = Material.objects.get(title="Power map worksheet")
    client.force_login(viewer)
    assert client.get(url("material_file", material_id=link.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("page.html", b"<script>alert(1)</script>", "page.html is not a kind of file"),
        ("empty.pdf", b"", "empty.pdf is empty"),
        ("huge.pdf", b"0" * (services.MAX_MATERIAL_BYTES + 1), "the limit is 20 MB"),
    ],
)
def test_a_file_the_school_does_not_keep_is_refused_and_nothing_is_stored(
    staff, module, nutmeg, name, content, expected
):
    with pytest.raises(InvalidInput, match=expected) as refused:
        services.add_material_file(
            actor=staff, module=module, title="Handout", file_name=name, content=content
        )
    assert refused.value.field == "file"
    assert not Material.objects.filter(title="Handout").exists()
    assert stored_files(nutmeg) == []


def test_the_form_wants_a_link_or_a_file_not_both(client, organizer, module):
    client.force_login(organizer)
    both = {
        "title": "Both",
        "url": "https://example.org/x",
        "file": SimpleUploadedFile("x.pdf", PDF),
    }
    page = client.post(url("material_new", module_id=module.pk), both, follow=True)
    assert "Give a link or choose a file, not both." in page.content.decode()
    page = client.post(url("material_new", module_id=module.pk), {"title": "None"}, follow=True)
    assert "Give a link or choose a file." in page.content.decode()
    refused = {"title": "Slides", "file": SimpleUploadedFile("slides.exe", b"MZ")}
    page = client.post(url("material_new", module_id=module.pk), refused, follow=True)
    assert "Or a file: slides.exe is not a kind of file the school keeps" in page.content.decode()
    assert not Material.objects.filter(title__in=["Both", "None", "Slides"]).exists()


def test_a_viewer_cannot_upload(client, viewer, module):
    client.force_login(viewer)
    response = client.post(
        url("material_new", module_id=module.pk),
        {"title": "Sneaky", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Material.objects.filter(title="Sneaky").exists()


def test_a_file_over_the_cap_is_refused_by_the_form(client, organizer, module):
    client.force_login(organizer)
    big = SimpleUploadedFile("big.pdf", b"0" * (services.MAX_MATERIAL_BYTES + 1))
    page = client.post(
        url("material_new", module_id=module.pk), {"title": "Big", "file": big}, follow=True
    )
    assert "Or a file: big.pdf is 20.0 MB; the limit is 20 MB." in page.content.decode()
    assert not Material.objects.filter(title="Big").exists()
