"""While `powerbase demo` loads its data the first time, the sign-in page says how far it got,
and stops saying so once it is done."""

from django.urls import reverse

from powerbase.core.models import Job


def sign_in_page(client) -> str:
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sign_in_page_shows_the_demo_load_progress_until_it_is_done(client, db):
    assert "Loading the demo" not in sign_in_page(client)

    load = Job.objects.create(kind="demo.load", organization=None, message="Waiting for a worker")
    assert "Loading the demo:" in sign_in_page(client)  # queued: no percentage yet

    Job.objects.filter(pk=load.pk).update(status=Job.Status.RUNNING, done=43, total=100)
    page = sign_in_page(client)
    assert "Loading the demo (43%)" in page
    assert 'hx-trigger="every 2s"' in page  # the notice refreshes itself

    Job.objects.filter(pk=load.pk).update(status=Job.Status.SUCCEEDED, done=100)
    assert "Loading the demo" not in sign_in_page(client)


def test_another_organizations_job_is_no_demo_load(client, nutmeg):
    Job.objects.create(kind="core.selftest", organization=nutmeg, status=Job.Status.RUNNING)
    assert "Loading the demo" not in sign_in_page(client)
