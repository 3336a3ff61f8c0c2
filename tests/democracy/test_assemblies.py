"""Assemblies that count only who is there, and codes that reach only the voter.

The `assembly_vote` fixture: four delegates (Ana, Bo, Dana, Eli), Ana, Bo and Dana checked in,
Eli absent, and an in-person vote open.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.models import AuditEntry
from powerbase.democracy import electorates, services
from powerbase.democracy.models import AssemblyAttendance, CastBallot, Participation
from tests.democracy.conftest import printed_slips


def org_url(name: str, **kwargs) -> str:
    return reverse(f"democracy:{name}", kwargs={"org": "nutmeg", **kwargs})


def right_of(vote, person):
    return vote.eligibilities.get(person=person)


# Codes only to the voter -------------------------------------------------------------------


def test_printing_for_everyone_covers_only_the_delegates_checked_in(manager, assembly_vote):
    slips = services.issue_printed_codes(actor=manager, vote=assembly_vote)
    assert slips.names == ["Ana Reyes", "Bo Lindgren", "Dana Whitfield"]
    assert len(slips.codes) == 3  # not Eli, who is absent


def test_a_code_for_an_absent_delegate_is_refused(manager, assembly_vote, base):
    with pytest.raises(Conflict, match="Eli Marchetti has not checked in"):
        services.issue_printed_codes(
            actor=manager, vote=assembly_vote, eligibilities=[right_of(assembly_vote, base["eli"])]
        )
    # Nor does a link made for Eli vote while Eli is away from an in-person vote.
    link = services.mint_link(assembly_vote, right_of(assembly_vote, base["eli"]))
    with pytest.raises(Conflict, match="has not checked in"):
        services.cast_ballot(code=link, marks=[["Ana Reyes"]])
    assert not CastBallot.objects.filter(vote=assembly_vote).exists()


def test_the_codes_page_never_puts_a_code_beside_a_name(
    client, organizer, manager, assembly_vote, base
):
    client.force_login(organizer)
    ana = right_of(assembly_vote, base["ana"])
    page = client.post(
        org_url("vote_codes", vote_id=assembly_vote.pk), {"eligibility": ana.pk}
    ).content.decode()
    slips = re.findall(r'<li class="slip">(.*?)</li>', page, re.S)
    assert len(slips) == 1 and "Ana" not in slips[0]
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", slips[0])
    assert "Ana Reyes" in page  # on the list of people to hand a slip to, apart
    # Ana is now recorded as handed a code: no second code, whoever asks.
    assert Participation.objects.get(eligibility=ana).channel == Participation.Channel.PRINTED
    with pytest.raises(Conflict, match="already voted or been handed a code"):
        services.issue_printed_codes(actor=manager, vote=assembly_vote, eligibilities=[ana])


def test_printing_for_a_named_person_is_audited_with_the_name(manager, assembly_vote, base):
    services.issue_printed_codes(
        actor=manager, vote=assembly_vote, eligibilities=[right_of(assembly_vote, base["bo"])]
    )
    entry = AuditEntry.objects.filter(action="vote.codes_printed").latest("id")
    assert entry.changes["handed_to"] == ["Bo Lindgren"] and entry.changes["codes"] == 1


def test_a_slip_casts_one_ballot_however_it_is_typed(manager, assembly_vote):
    code = printed_slips(manager, assembly_vote)[0]
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    services.cast_ballot(code=sloppy, marks=[["Dana Whitfield"]])
    with pytest.raises(NotFound):
        services.cast_ballot(code=code, marks=[["Ana Reyes"]])
    assert CastBallot.objects.filter(vote=assembly_vote).count() == 1


def test_a_proxy_holder_present_is_handed_the_absent_delegates_slip(
    manager, delegate_electorate, base
):
    assembly = services.create_assembly(
        actor=manager,
        title="Council",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=1),
    )
    vote = services.create_vote(
        actor=manager,
        title="Agenda",
        method="threshold",
        electorate=delegate_electorate,
        assembly=assembly,
    )
    services.give_proxy(actor=manager, vote=vote, grantor=base["eli"], holder=base["femi"])
    services.check_in(actor=manager, assembly=assembly, person=base["ana"])
    services.check_in(actor=manager, assembly=assembly, person=base["femi"])
    services.open_vote(actor=manager, vote=vote)
    slips = services.issue_printed_codes(actor=manager, vote=vote)
    assert slips.names == ["Ana Reyes", "Femi Adebayo (proxy for Eli Marchetti)"]


def test_a_remote_vote_has_no_printed_codes_and_mails_each_voter_their_own_link(
    manager, election, django_capture_on_commit_callbacks, run_jobs
):
    opened = services.open_vote(actor=manager, vote=election)
    with pytest.raises(Conflict, match="remote ballot"):
        services.issue_printed_codes(actor=manager, vote=opened)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_voting_links(actor=manager, vote=opened, base_url="http://testserver")
    run_jobs()
    to_ana = next(m for m in mail.outbox if m.to == ["ana@tenants.example"])
    assert "Ana" in to_ana.body or "ballot" in to_ana.body


def test_an_in_person_vote_sends_no_links_unless_set_as_remote(manager, assembly_vote):
    with pytest.raises(Conflict, match="in person"):
        services.send_voting_links(actor=manager, vote=assembly_vote, base_url="http://testserver")


def test_a_vote_at_an_assembly_is_set_as_remote_from_its_page(
    client, organizer, manager, assembly_vote, delegate_electorate
):
    client.force_login(organizer)
    client.post(
        org_url("vote_new"),
        {
            "title": "Budget by mail",
            "method": "threshold",
            "seats": 1,
            "electorate": delegate_electorate.pk,
            "assembly": assembly_vote.assembly_id,
            "remote": "on",
            "required": "majority",
            "share_of": "cast",
        },
    )
    remote = assembly_vote.assembly.votes.get(title="Budget by mail")
    assert remote.remote and not remote.in_person
    page = client.get(org_url("vote", vote_id=remote.pk)).content.decode()
    assert "remote ballot: voters get a link at their own email" in page


# Check-in and quorum -----------------------------------------------------------------------


@pytest.fixture
def assembly(manager, delegate_electorate):
    return services.create_assembly(
        actor=manager,
        title="Spring delegates assembly",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=2),
    )


def test_someone_neither_delegate_nor_proxy_is_refused_or_recorded_as_a_guest(
    manager, assembly, base
):
    with pytest.raises(InvalidInput, match="not on the roster"):
        services.check_in(actor=manager, assembly=assembly, person=base["gus"])
    services.check_in(actor=manager, assembly=assembly, person=base["ana"])
    guest = services.check_in(actor=manager, assembly=assembly, person=base["gus"], guest=True)
    assert guest.guest and not AssemblyAttendance.objects.get(person=base["ana"]).guest
    assert electorates.quorum(assembly).present == 1


def test_check_in_finds_the_delegate_among_namesakes_and_says_affiliate_and_role(
    client, organizer, manager, assembly, base, nutmeg, tenant_union
):
    from tests.conftest import add_member

    add_member(nutmeg, None, "Ana", "Reyes", direct=True)  # a namesake, not a delegate
    client.force_login(organizer)
    response = client.post(
        org_url("assembly_attendance", assembly_id=assembly.pk),
        {"person": "Ana Reyes"},
        follow=True,
    )
    assert "Checked in Ana Reyes (Quinnipiac Tenants Union, delegate)" in response.content.decode()
    assert AssemblyAttendance.objects.get(assembly=assembly).person == base["ana"]


def test_a_guest_checked_in_from_the_page_is_shown_as_one(client, organizer, assembly, base):
    client.force_login(organizer)
    refused = client.post(
        org_url("assembly_attendance", assembly_id=assembly.pk),
        {"person": "Gus Halvorsen"},
        follow=True,
    ).content.decode()
    assert "not on the roster" in refused
    client.post(
        org_url("assembly_attendance", assembly_id=assembly.pk),
        {"person": "Gus Halvorsen", "guest": "on"},
    )
    client.post(org_url("assembly_attendance", assembly_id=assembly.pk), {"person": "Bo Lin"})
    page = client.get(org_url("assembly", assembly_id=assembly.pk)).content.decode()
    assert "guest: no vote, not counted for quorum" in page
    # One number: the count shown is the count quorum uses.
    assert "<strong>1 of 4</strong> of the electorate present" in page
    assert "Quorum: 1 of 4 present, 2 needed. Not met." in page


def test_the_assembly_and_its_vote_state_the_same_quorum(
    client, organizer, manager, assembly_vote, base
):
    # Eli arrives after voting opened: both pages count Eli now.
    services.check_in(actor=manager, assembly=assembly_vote.assembly, person=base["eli"])
    client.force_login(organizer)
    assembly_page = client.get(org_url("assembly", assembly_id=assembly_vote.assembly_id))
    vote_page = client.get(org_url("vote", vote_id=assembly_vote.pk))
    sentence = electorates.quorum(assembly_vote.assembly).sentence()
    assert sentence == "Quorum: 4 of 4 present, 2 needed. Met."
    assert sentence in assembly_page.content.decode()
    assert sentence in vote_page.content.decode()


def test_a_tie_broken_by_ballot_order_is_stated_with_the_result(
    client, organizer, manager, assembly_vote
):
    for code, choice in zip(
        printed_slips(manager, assembly_vote),
        ["Ana Reyes", "Dana Whitfield", "Bo Lindgren"],
        strict=True,
    ):
        services.cast_ballot(code=code, marks=[[choice]])
    services.close_vote(actor=manager, vote=assembly_vote)
    services.count_vote(actor=manager, vote=assembly_vote)
    client.force_login(organizer)
    page = client.get(org_url("vote", vote_id=assembly_vote.pk)).content.decode()
    results = page[page.index('id="results-heading"') :]
    notice = results[: results.index("<details")] if "<details" in results else results
    assert "broken by the rule set before voting (ballot order)" in notice
    assert "a tie between" in notice.lower()
