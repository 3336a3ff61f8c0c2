"""Questionnaire questions tied to platform demands, and an endorsed candidate's pledges
carried into the legislature app once they hold office."""

import pytest
from django.urls import reverse

from powerbase.core.exceptions import InvalidInput, NotFound, PermissionDenied
from powerbase.core.models import Role
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Electorate
from powerbase.electoral import queries, services
from powerbase.electoral.models import EndorsementProcess, PipelineEntry
from powerbase.legislature import services as legislature
from powerbase.legislature.models import Chamber, Pledge
from tests.conftest import act, make_user
from tests.democracy.conftest import printed_codes


def url(name, **kwargs):
    return reverse(f"electoral:{name}", kwargs={"org": "nutmeg", **kwargs})


@pytest.fixture
def demands(manager) -> dict:
    """A platform with three demands, by short name."""
    version = legislature.create_platform(actor=manager, title="People's Platform 2027")
    plank = legislature.add_plank(actor=manager, version=version, title="Homes for all")
    return {
        short: legislature.add_demand(actor=manager, plank=plank, title=title)
        for short, title in [
            ("rent", "Cap yearly rent increases at 4%"),
            ("counsel", "Right to counsel in eviction court"),
            ("homes", "Build 10,000 social homes"),
        ]
    }


@pytest.fixture
def process(manager, senate_10, demands):
    """The State Senate District 10 questionnaire: two demands and a free question."""
    process = services.open_endorsement(actor=manager, race=senate_10)
    reyes = senate_10.candidates.get(name="Jordan Reyes-Whitfield")
    for text, demand in [
        ("Will you cap rents?", demands["rent"]),
        ("Will you fund a right to counsel?", demands["counsel"]),
        ("Will you meet our members yearly?", None),
    ]:
        question = services.add_question(
            actor=manager, process=process, text=text, platform_demand=demand
        )
        services.record_response(
            actor=manager, question=question, candidate=reyes, answer=f"Yes: {text.lower()}"
        )
    return process


def endorse(manager, process, nutmeg) -> EndorsementProcess:
    """Recommend Reyes-Whitfield and have the members endorse her."""
    reyes = process.race.candidates.get(name="Jordan Reyes-Whitfield")
    services.recommend(actor=manager, process=process, candidate=reyes, reasons="Yes on all.")
    everyone = democracy.create_electorate(
        actor=manager, name="All members", kind=Electorate.Kind.MEMBERS
    )
    services.put_endorsement_to_vote(
        actor=manager, process=process, electorate=everyone, required="majority", share_of="cast"
    )
    process.refresh_from_db()
    vote = process.endorsement_vote.vote
    for code in printed_codes(manager, vote).values():
        democracy.cast_ballot(code=code, marks=[["yes"]])
    democracy.close_vote(actor=manager, vote=vote)
    democracy.count_vote(actor=manager, vote=vote)
    democracy.publish_results(actor=manager, vote=vote)
    return queries.endorsement_process(manager, process.pk)


def senator(manager, name="Jordan Reyes-Whitfield", district="10"):
    given, family = name.split(" ", 1)
    return legislature.create_official(
        actor=manager,
        name=name,
        given_name=given,
        family_name=family,
        chamber=Chamber.UPPER,
        district_code=district,
        party="Democratic",
    )


def test_a_question_about_a_platform_demand_keeps_its_wording(manager, process, demands):
    question = process.questions.get(order=1)
    assert question.platform_demand == demands["rent"]
    assert question.demand == "Cap yearly rent increases at 4%"
    assert process.questions.get(order=3).platform_demand is None
    assert list(queries.questionnaire_demands(process)) == [demands["rent"], demands["counsel"]]


def test_a_question_cannot_point_at_another_organizations_demand(manager, process, harbor):
    owner = make_user(harbor, Role.ORGANIZER, email="organizer@harbor.example")
    theirs = act(owner, harbor)
    version = legislature.create_platform(actor=theirs, title="Harbor platform")
    plank = legislature.add_plank(actor=theirs, version=version, title="Ports")
    foreign = legislature.add_demand(actor=theirs, plank=plank, title="Public ports")
    with pytest.raises(NotFound):
        services.add_question(
            actor=manager, process=process, text="Ports?", platform_demand=foreign
        )
    assert foreign not in queries.platform_demands(manager)


def test_pledges_of_a_sitting_official_become_legislature_pledges_once(
    manager, process, demands, nutmeg, maria, walter
):
    official = senator(manager)
    senator(manager, "Jordan Reyes-Whitfield", district="30")  # a namesake elsewhere
    legislature.record_pledge(
        actor=manager, official=official, demand=demands["counsel"], notes="Said so at a town hall."
    )
    endorsed = endorse(manager, process, nutmeg)
    assert services.endorsed_official(endorsed) == official  # the one seated in district 10
    with pytest.raises(InvalidInput, match="not a demand of this questionnaire"):
        services.record_pledges(
            actor=manager, process=endorsed, pledges="All of it", demands=[demands["homes"]]
        )
    services.record_pledges(
        actor=manager,
        process=endorsed,
        pledges="Rents and counsel.",
        demands=[demands["rent"], demands["counsel"]],
    )
    pledges = {p.demand.title: p for p in Pledge.objects.filter(official=official)}
    assert set(pledges) == {"Cap yearly rent increases at 4%", "Right to counsel in eviction court"}
    assert pledges["Right to counsel in eviction court"].notes == "Said so at a town hall."
    assert "Yes: will you cap rents?" in pledges["Cap yearly rent increases at 4%"].notes
    assert pledges["Cap yearly rent increases at 4%"].source == Pledge.Source.QUESTIONNAIRE
    services.record_pledges(
        actor=manager,
        process=endorsed,
        pledges="Rents and counsel.",
        demands=[demands["rent"], demands["counsel"]],
    )
    assert services.carry_pledges(actor=manager, process=endorsed) == []
    assert Pledge.objects.filter(official=official).count() == 2
    shown = queries.pledges_in_office(manager, endorsed)
    assert shown.official == official and len(shown.recorded) == 2 and not shown.waiting


def test_pledges_follow_the_candidate_into_office(manager, process, demands, nutmeg, maria, walter):
    reyes = process.race.candidates.get(name="Jordan Reyes-Whitfield")
    reyes.person = maria
    reyes.save()
    endorsed = endorse(manager, process, nutmeg)
    services.record_pledges(
        actor=manager, process=endorsed, pledges="Rents.", demands=[demands["rent"]]
    )
    assert not Pledge.objects.exists()  # not an official yet
    assert queries.pledges_in_office(manager, endorsed).official is None
    entry = services.add_to_pipeline(
        actor=manager, person=maria, target_office="Senate 10", stage=PipelineEntry.Stage.RUNNING
    )
    official = senator(manager)  # she won, and the legislature app now lists her
    services.move_in_pipeline(actor=manager, entry=entry, stage=PipelineEntry.Stage.ELECTED)
    assert [p.demand for p in Pledge.objects.filter(official=official)] == [demands["rent"]]
    services.move_in_pipeline(actor=manager, entry=entry, stage=PipelineEntry.Stage.GOVERNING)
    assert Pledge.objects.count() == 1


def test_without_the_legislature_the_data_director_cannot_carry_pledges(
    manager, process, demands, nutmeg, users_by_role, maria, walter
):
    data = act(users_by_role[Role.DATA], nutmeg)
    official = senator(manager)
    endorsed = endorse(manager, process, nutmeg)
    services.record_pledges(
        actor=data, process=endorsed, pledges="Rents.", demands=[demands["rent"]]
    )
    assert not Pledge.objects.exists()
    with pytest.raises(PermissionDenied):
        services.carry_pledges(actor=data, process=endorsed)
    assert [d.title for d in queries.pledges_in_office(manager, endorsed).waiting] == [
        "Cap yearly rent increases at 4%"
    ]
    services.carry_pledges(actor=manager, process=endorsed)
    assert Pledge.objects.get().official == official


def test_the_endorsement_page_ties_questions_and_pledges_to_the_platform(
    client, organizer, manager, senate_10, demands, nutmeg, maria, walter, harbor
):
    client.force_login(organizer)
    client.post(url("endorsement_new", race_id=senate_10.pk))
    process = EndorsementProcess.objects.get(race=senate_10)
    form = client.get(url("endorsement", process_id=process.pk)).content.decode()
    assert "Cap yearly rent increases at 4%" in form  # offered in the question form
    client.post(
        url("endorsement_question", process_id=process.pk),
        {"text": "Will you cap rents?", "platform_demand": demands["rent"].pk},
    )
    question = process.questions.get()
    assert question.platform_demand == demands["rent"]
    reyes = senate_10.candidates.get(name="Jordan Reyes-Whitfield")
    services.record_response(actor=manager, question=question, candidate=reyes, answer="Yes.")
    endorse(manager, process, nutmeg)
    client.post(
        url("endorsement_pledges", process_id=process.pk),
        {"pledges": "Cap rents.", "demands": [demands["rent"].pk]},
    )
    assert list(process.pledged_demands.all()) == [demands["rent"]]
    official = senator(manager)
    page = client.get(url("endorsement", process_id=process.pk)).content.decode()
    assert "Platform demand:" in page and "Demands pledged" in page
    assert "Record the pledged demands as their pledges" in page
    response = client.post(url("endorsement_carry", process_id=process.pk), follow=True)
    assert "Recorded 1 pledge(s) in the legislature." in response.content.decode()
    assert Pledge.objects.get().official == official
    page = client.get(url("endorsement", process_id=process.pk)).content.decode()
    assert "1 pledge recorded in the legislature" in page
    assert "Record the pledged demands as their pledges" not in page


def test_a_posted_demand_of_another_organization_is_refused(
    client, organizer, manager, process, harbor
):
    owner = make_user(harbor, Role.ORGANIZER, email="organizer@harbor.example")
    theirs = act(owner, harbor)
    version = legislature.create_platform(actor=theirs, title="Harbor platform")
    plank = legislature.add_plank(actor=theirs, version=version, title="Ports")
    foreign = legislature.add_demand(actor=theirs, plank=plank, title="Public ports")
    client.force_login(organizer)
    client.post(
        url("endorsement_question", process_id=process.pk),
        {"text": "Ports?", "platform_demand": foreign.pk},
    )
    assert not process.questions.filter(text="Ports?").exists()
