"""Affiliates in arrears lose the votes they hold as organizations (delegates, reserved seats,
bloc weight) until they pay or a body waives the rule; their members keep their own votes.
The rule itself is the money app's (tests/money/test_dues.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from powerbase.democracy import electorates, services
from powerbase.democracy.models import Electorate
from powerbase.money import services as money
from powerbase.money.models import DuesSchedule
from tests.conftest import act


@pytest.fixture
def treasurer(admin, nutmeg):
    return act(admin, nutmeg)


def dues_unpaid_for(treasurer, affiliate, days: int) -> None:
    """Give *affiliate* one yearly invoice that fell due *days* ago and is unpaid."""
    starts = timezone.localdate() - datetime.timedelta(days=days + money.DAYS_TO_PAY)
    money.create_schedule(
        actor=treasurer,
        affiliate=affiliate,
        kind=DuesSchedule.Kind.FLAT,
        period=DuesSchedule.Period.YEARLY,
        amount_cents=120000,
        starts_on=starts,
    )
    money.issue_invoices(actor=treasurer, through=starts)


@pytest.fixture
def blocs(manager, delegates, tenant_union, teachers_union) -> Electorate:
    electorate = services.create_electorate(
        actor=manager, name="Blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.set_bloc_weights(
        actor=manager,
        electorate=electorate,
        weights={tenant_union: Decimal(40), teachers_union: Decimal(60)},
    )
    return electorate


def weights(electorate) -> dict[int, Decimal]:
    return {e.affiliate_id: e.weight for e in electorates.entries(electorate)}


def test_an_affiliate_past_the_rule_loses_its_bloc_weight_and_the_page_says_why(
    treasurer, blocs, tenant_union, teachers_union
):
    dues_unpaid_for(treasurer, teachers_union, days=120)
    assert weights(blocs) == {tenant_union.pk: Decimal(40)}
    (suspension,) = electorates.suspensions(blocs)
    assert (suspension.affiliate_name, suspension.weight) == ("Educators Local 12", Decimal(60))
    assert "120 days in arrears ($1,200.00 owed" in suspension.reason
    assert "the rule allows 90" in suspension.reason


def test_within_the_rule_an_affiliate_keeps_its_weight(treasurer, blocs, teachers_union):
    dues_unpaid_for(treasurer, teachers_union, days=60)
    assert weights(blocs)[teachers_union.pk] == Decimal(60)
    assert electorates.suspensions(blocs) == []


def test_paying_or_a_waiver_gives_the_weight_back(treasurer, blocs, teachers_union):
    dues_unpaid_for(treasurer, teachers_union, days=120)
    money.record_waiver(
        actor=treasurer,
        affiliate=teachers_union,
        reason="Strike this spring.",
        decided_by="Steering committee",
        starts_on=timezone.localdate(),
    )
    assert weights(blocs)[teachers_union.pk] == Decimal(60)


def test_delegates_of_an_affiliate_in_arrears_do_not_vote_but_its_members_do(
    treasurer, manager, delegate_electorate, members, base, teachers_union
):
    dues_unpaid_for(treasurer, teachers_union, days=120)
    voting_delegates = {e.person_id for e in electorates.entries(delegate_electorate)}
    assert voting_delegates == {base["ana"].pk, base["bo"].pk}
    assert base["dana"].pk in {e.person_id for e in electorates.entries(members)}


def test_an_assembly_counts_quorum_without_the_suspended_delegates(
    treasurer, manager, delegate_electorate, base, teachers_union
):
    dues_unpaid_for(treasurer, teachers_union, days=120)
    assembly = services.create_assembly(
        actor=manager,
        title="Fall assembly",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=2),
    )
    services.check_in(actor=manager, assembly=assembly, person=base["dana"])
    quorum = electorates.quorum(assembly)
    assert (quorum.electorate_size, quorum.present) == (2, 0)
    roster = electorates.assembly_roster(assembly)
    assert roster[base["dana"].pk].role == "delegate, no vote: dues in arrears"


@pytest.mark.parametrize("kind", ["delegates", "blocs"])
def test_an_electorates_page_shows_its_size_and_suspensions_in_a_fixed_number_of_queries(
    client,
    organizer,
    treasurer,
    blocs,
    delegate_electorate,
    teachers_union,
    kind,
    django_assert_max_num_queries,
):
    from django.urls import reverse

    # What counts while the teachers are in arrears: Ana and Bo, or the tenants' bloc.
    electorate, size = (blocs, 1) if kind == "blocs" else (delegate_electorate, 2)
    dues_unpaid_for(treasurer, teachers_union, days=120)
    client.force_login(organizer)
    url = reverse("democracy:electorate", kwargs={"org": "nutmeg", "electorate_id": electorate.pk})
    # The rights are built once for both figures, and the dues standing read once.
    with django_assert_max_num_queries(24):
        page = client.get(url).content.decode()
    assert f"<dd>{size}</dd>" in page
    assert "<strong>Educators Local 12</strong>" in page
