"""The secret ballot, checked against the schema itself: no stored ballot can be joined to its
voter, now or after a later change to the models."""

from django.apps import apps
from django.db import models

from powerbase.core.models import AuditEntry, Organization
from powerbase.democracy import services
from powerbase.democracy.models import CastBallot, Participation, Vote
from tests.democracy.conftest import voter_codes

# Relations a ballot may have: to what every ballot of the same vote shares.
SHARED_BY_ALL_BALLOTS = {Vote, Organization}


def test_no_ballot_row_can_be_joined_to_a_voter():
    """Every relation of a ballot leads to its vote or organization; nothing points at it."""
    for field in CastBallot._meta.get_fields():
        if field.is_relation:
            assert field.related_model in SHARED_BY_ALL_BALLOTS, (
                f"CastBallot.{field.name} relates ballots to {field.related_model.__name__}, "
                "which could identify a voter."
            )
            assert field.many_to_one, f"CastBallot.{field.name} must be a plain foreign key."
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=True):
            forward = not field.auto_created  # not the reverse side of CastBallot's keys
            if field.is_relation and forward and field.related_model is CastBallot:
                raise AssertionError(f"{model.__name__}.{field.name} points at a ballot.")


def test_a_ballot_keeps_no_date_time_or_sequence():
    fields = {f.name: f for f in CastBallot._meta.concrete_fields}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    assert not any(
        isinstance(
            f,
            models.AutoField
            | models.BigAutoField
            | models.DateField
            | models.DateTimeField
            | models.TimeField,
        )
        for f in fields.values()
    )
    # Who voted is kept by the day at most.
    assert isinstance(Participation._meta.get_field("voted_on"), models.DateField)
    assert not any(
        isinstance(f, models.DateTimeField | models.TimeField)
        for f in Participation._meta.concrete_fields
    )


def test_a_ballot_has_only_the_columns_reviewed_for_secrecy():
    """A new column on ballots must be reviewed for what it could reveal, then added here."""
    columns = {field.column for field in CastBallot._meta.concrete_fields}
    assert columns == {
        "id",
        "organization_id",
        "vote_id",
        "sort_key",
        "marks",
        "weight",
        "receipt",
        "channel",
    }


def test_a_stored_ballot_holds_neither_the_voters_code_nor_name(manager, election, base):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Fair Share"]])
    stored = " ".join(str(value) for value in CastBallot.objects.values().get().values())
    assert "Reyes" not in stored and "Ana" not in stored
    assert codes["ana"].replace("-", "") not in stored


def test_casting_a_ballot_writes_nothing_to_the_audit_log(manager, election):
    codes = voter_codes(manager, election)
    before = AuditEntry.objects.count()
    services.cast_ballot(code=codes["ana"], marks=[["Fair Share"]])
    assert AuditEntry.objects.count() == before


def test_the_published_order_is_the_random_sort_key_not_the_order_of_voting(manager, election):
    codes = voter_codes(manager, election)
    voters = ["ana", "bo", "cyrus", "dana", "eli", "femi", "gus", "maría"]
    for name in voters:
        services.cast_ballot(code=codes[name], marks=[["Fair Share"]])
    ids_as_cast = list(CastBallot.objects.values_list("id", flat=True))
    services.close_vote(actor=manager, vote=election)
    result = services.count_vote(actor=manager, vote=election)
    stored = list(CastBallot.objects.filter(vote=election))
    assert [b.sort_key for b in stored] == sorted(b.sort_key for b in stored)
    assert sorted(ids_as_cast) == sorted(b.id for b in stored)  # the same ballots, re-keyed
    receipts = [line.split(",")[0] for line in result.ballots_csv.splitlines()[1:]]
    assert receipts == [b.receipt for b in stored]
