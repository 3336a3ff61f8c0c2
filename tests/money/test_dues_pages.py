"""The dues page's forms (schedule, payment, waiver): each saves through its service, says
what it did, and shows a form's errors after going back to the page."""

from django.urls import reverse

from powerbase.money.models import DuesSchedule, Payment


def post(client, name: str, affiliate, data: dict):
    url = reverse(name, kwargs={"org": affiliate.organization.slug, "affiliate_id": affiliate.pk})
    return client.post(url, data, follow=True)


def test_a_schedule_and_a_payment_are_recorded_and_said(client, admin, tenant_union):
    client.force_login(admin)
    page = post(
        client,
        "money:schedule_new",
        tenant_union,
        {"kind": "flat", "period": "monthly", "amount": "50.00", "starts_on": "2026-01-01"},
    ).content.decode()
    assert "Added the dues schedule: Quinnipiac Tenants Union: flat amount, monthly." in page
    assert DuesSchedule.objects.get().amount_cents == 5000
    page = post(
        client,
        "money:payment_new",
        tenant_union,
        {"amount": "50.00", "received_on": "2026-01-20", "method": "check", "reference": "1042"},
    ).content.decode()
    assert "Recorded the payment from Quinnipiac Tenants Union." in page
    assert Payment.objects.get().reference == "1042"


def test_a_forms_errors_are_shown_and_nothing_is_saved(client, admin, tenant_union):
    client.force_login(admin)
    page = post(
        client,
        "money:payment_new",
        tenant_union,
        {"amount": "0", "received_on": "2026-01-20", "method": "check"},
    ).content.decode()
    assert "Amount: Ensure this value is greater than or equal to 0.01." in page
    assert "Recorded the payment" not in page
    assert not Payment.objects.exists()
    page = post(client, "money:waiver_new", tenant_union, {"reason": ""}).content.decode()
    assert "Recorded the waiver" not in page and "Why the rule is waived: This field is" in page
