"""Assembly check-in chooses a person with the type-ahead picker, by the id it posts."""

from django.urls import reverse

from powerbase.democracy import services
from powerbase.democracy.models import AssemblyAttendance


def org_url(name: str, **kwargs) -> str:
    return reverse(f"democracy:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_the_person_chosen_in_the_picker_is_checked_in(
    client, organizer, manager, delegate_electorate, base
):
    assembly = services.create_assembly(
        actor=manager,
        title="Assembly",
        starts_at=base["ana"].created_at,
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=1),
    )
    client.force_login(organizer)
    page = client.get(org_url("assembly", assembly_id=assembly.pk)).content.decode()
    assert 'hx-get="/o/nutmeg/people/pick/?field=person"' in page
    assert 'name="person_id"' in page
    # The text box says what the picker showed; the chosen id decides who is checked in.
    client.post(
        org_url("assembly_attendance", assembly_id=assembly.pk),
        {"person_id": str(base["ana"].pk), "person": "Ana Reyes (#1, …)"},
    )
    assert AssemblyAttendance.objects.get(assembly=assembly).person == base["ana"]
    page = client.get(org_url("assembly", assembly_id=assembly.pk)).content.decode()
    assert f"#{base['ana'].pk} · " in page
