"""The demo's messages: fictional history on a held action, loaded once."""

from datetime import timedelta

from django.utils import timezone

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.demo.messaging import load_messaging_demo
from powerbase.messaging import queries
from powerbase.messaging.models import Message
from tests.conftest import add_member


def test_the_demo_has_a_sent_email_and_a_sent_text_with_counts(nutmeg, teachers_union):
    teachers_union.share_contact = True
    teachers_union.save()
    held = Action.objects.create(
        organization=nutmeg, title="Rally (fictional)", starts_at=timezone.now() - timedelta(days=3)
    )
    for n in range(30):
        person = add_member(
            nutmeg,
            teachers_union,
            f"Person{n}",
            "Fictional",
            email=f"p{n}@teachers.example",
            phone=f"+1203555{n:04d}",
        )
        Rsvp.objects.create(organization=nutmeg, action=held, person=person)
        Attendance.objects.create(organization=nutmeg, action=held, person=person)
    load_messaging_demo(nutmeg)
    email = Message.objects.get(channel="email")
    text = Message.objects.get(channel="sms")
    assert "fictional" in email.subject and "fictional" in text.body
    assert queries.counts(email).sent > 10 and queries.counts(text).delivered > 3
    assert load_messaging_demo(nutmeg) == {"status": "already loaded"}
