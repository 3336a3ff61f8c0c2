from django.urls import path

from powerbase.messaging import email_hooks, views

app_name = "messaging"

urlpatterns = [
    path("o/<slug:org>/messages/", views.messages_page, name="messages"),
    path("o/<slug:org>/messages/new/", views.message_new, name="message_new"),
    path("o/<slug:org>/messages/<int:message_id>/", views.show_message, name="message"),
    path("o/<slug:org>/messages/<int:message_id>/test/", views.message_test, name="message_test"),
    path("o/<slug:org>/messages/<int:message_id>/send/", views.message_send, name="message_send"),
    path(
        "o/<slug:org>/messages/<int:message_id>/schedule/",
        views.message_schedule,
        name="message_schedule",
    ),
    path(
        "o/<slug:org>/messages/actions/<int:action_id>/",
        views.action_mail,
        name="action_mail",
    ),
    path("o/<slug:org>/messages/terms/", views.affiliate_terms, name="terms"),
    path("o/<slug:org>/messages/settings/", views.messaging_settings, name="settings"),
    path(
        "o/<slug:org>/messages/terms/<int:affiliate_id>/",
        views.affiliate_terms_save,
        name="terms_save",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("hooks/email/mailgun/tracking/", email_hooks.mailgun_tracking, name="mailgun_tracking"),
]
