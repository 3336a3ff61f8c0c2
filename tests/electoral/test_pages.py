"""The electoral pages, driven through the client as an organizer would use them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerbase.electoral import services
from powerbase.electoral.models import EndorsementProcess, PipelineEntry, ResultLine
from tests.electoral.test_results import RESULTS


def url(name, **kwargs):
    return reverse(f"electoral:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_an_organizer_imports_results_and_reads_the_margin(client, organizer, senate_10):
    client.force_login(organizer)
    response = client.post(
        url("results_import"), {"file": SimpleUploadedFile("results.csv", RESULTS)}
    )
    assert response.status_code == 302
    page = client.get(url("race", race_id=senate_10.pk))
    assert b"Margin: 200 votes (2.5 points)" in page.content
    assert b"Turnout: 20.0%" in page.content
    assert b"By precinct" in page.content
    election = client.get(url("election", election_id=senate_10.election_id))
    assert b"State House District 94" in election.content


def test_a_bad_results_file_is_refused_with_its_row(client, organizer, senate_10):
    client.force_login(organizer)
    response = client.post(
        url("results_import"),
        {
            "file": SimpleUploadedFile(
                "results.csv", RESULTS + b"Democratic primary 2024,State Senate District 10,X,-3,\n"
            )
        },
    )
    assert response.status_code == 200
    assert "results.csv, row 9, column &#x27;votes&#x27;" in response.content.decode()
    assert not ResultLine.objects.exists()


def test_the_pipeline_page_lists_people_by_stage(client, organizer, maria):
    client.force_login(organizer)
    response = client.post(
        url("pipeline_add"),
        {
            "person": f"#{maria.pk}",
            "target_office": "City Council",
            "stage": "recruited",
            "on": "2026-03-01",
        },
    )
    entry = PipelineEntry.objects.get(person=maria)
    assert response.status_code == 302
    client.post(url("pipeline_move", entry_id=entry.pk), {"stage": "trained", "on": "2026-04-01"})
    page = client.get(url("pipeline"))
    assert b"City Council" in page.content
    detail = client.get(url("pipeline_entry", entry_id=entry.pk))
    assert b"Trained" in detail.content and b"1 Apr 2026" in detail.content


def test_an_endorsement_is_run_from_its_page(client, organizer, senate_10):
    client.force_login(organizer)
    client.post(url("endorsement_new", race_id=senate_10.pk))
    process = EndorsementProcess.objects.get(race=senate_10)
    reyes = senate_10.candidates.get(name="Jordan Reyes-Whitfield")
    client.post(
        url("endorsement_question", process_id=process.pk),
        {"text": "Will you back rent stabilization?"},
    )
    question = process.questions.get()
    client.post(
        url("endorsement_response", process_id=process.pk),
        {"question": question.pk, "candidate": reyes.pk, "answer": "Yes, fully."},
    )
    client.post(
        url("endorsement_interview", process_id=process.pk),
        {"candidate": reyes.pk, "notes": "Strong on housing."},
    )
    client.post(
        url("endorsement_recommend", process_id=process.pk),
        {"candidate": reyes.pk, "reasons": "Yes on every demand."},
    )
    page = client.get(url("endorsement", process_id=process.pk))
    text = page.content.decode()
    assert "Yes, fully." in text and "Strong on housing." in text
    assert "Committee has recommended" in text and "Put it to the members" in text


def test_an_election_page_costs_the_same_queries_for_one_race_or_many(
    client, organizer, manager, primary_2024, senate_10, django_assert_num_queries
):
    services.import_results(actor=manager, file_name="results.csv", content=RESULTS)
    client.force_login(organizer)
    page = url("election", election_id=primary_2024.pk)
    client.get(page)
    with CaptureQueriesContext(connection) as two_races:
        client.get(page)
    for n in range(5):
        race = services.create_race(actor=manager, election=primary_2024, office=f"Ward {n}")
        services.add_candidate(actor=manager, race=race, name="Someone")
    with django_assert_num_queries(len(two_races)):
        client.get(page)
