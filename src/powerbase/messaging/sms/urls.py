"""Twilio's webhook addresses: point the number's "A message comes in" at `inbound`.

The delivery-report address goes with each text as its StatusCallback (messaging.sending).
"""

from django.urls import path

from powerbase.messaging.sms import webhooks

app_name = "sms"
urlpatterns = [
    path("hooks/sms/twilio/status", webhooks.status, name="status"),
    path("hooks/sms/twilio/<slug:org_slug>/inbound", webhooks.inbound, name="inbound"),
]
