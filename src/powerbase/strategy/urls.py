from django.urls import path

from powerbase.strategy import views

app_name = "strategy"

ORG = "o/<slug:org>/strategy/"
BODY = ORG + "bodies/<int:body_id>/"
DECISION = ORG + "decisions/<int:decision_id>/"

urlpatterns = [
    path(ORG, views.bodies, name="bodies"),
    path(ORG + "bodies/new/", views.body_new, name="body_new"),
    path(BODY, views.body, name="body"),
    path(BODY + "meetings/", views.meeting_new, name="meeting_new"),
    path(BODY + "decisions/new/", views.decision_new, name="decision_new"),
    path(ORG + "seats/<int:seat_id>/term/", views.seat_term, name="seat_term"),
    path(DECISION, views.decision, name="decision"),
    path(DECISION + "commitments/", views.commitment_new, name="commitment_new"),
    path(DECISION + "tasks/", views.task_new, name="task_new"),
    path(ORG + "tasks/<int:task_id>/done/", views.task_done, name="task_done"),
]
