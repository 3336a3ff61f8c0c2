from django.urls import path

from powerbase.messaging import views

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
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
