from django.urls import path

from powerbase.school import views

app_name = "school"

ORG = "o/<slug:org>/school/"
PROGRAM = ORG + "programs/<int:program_id>/"
COHORT = ORG + "cohorts/<int:cohort_id>/"
SESSION = ORG + "sessions/<int:session_id>/"
PARTICIPANT = ORG + "participants/<int:participant_id>/"

urlpatterns = [
    path(ORG, views.programs, name="programs"),
    path(ORG + "programs/new/", views.program_new, name="program_new"),
    path(PROGRAM, views.program, name="program"),
    path(PROGRAM + "modules/", views.module_new, name="module_new"),
    path(PROGRAM + "cohorts/", views.cohort_new, name="cohort_new"),
    path(ORG + "modules/<int:module_id>/materials/", views.material_new, name="material_new"),
    path(ORG + "materials/<int:material_id>/file/", views.material_file, name="material_file"),
    path(COHORT, views.cohort, name="cohort"),
    path(COHORT + "nominate/", views.nominate, name="nominate"),
    path(COHORT + "facilitators/", views.facilitator_add, name="facilitator_add"),
    path(COHORT + "sessions/", views.session_new, name="session_new"),
    path(COHORT + "assignments/", views.assignment_new, name="assignment_new"),
    path(COHORT + "graduate/", views.graduate_cohort, name="graduate_cohort"),
    path(COHORT + "report/", views.cohort_report, name="cohort_report"),
    path(SESSION, views.session, name="session"),
    path(SESSION + "check-in/", views.session_check_in, name="session_check_in"),
    path(PARTICIPANT, views.participant, name="participant"),
    path(PARTICIPANT + "skills/", views.assess, name="assess"),
    path(PARTICIPANT + "work/", views.submission_new, name="submission_new"),
    path(PARTICIPANT + "graduate/", views.graduate, name="graduate"),
    path(PARTICIPANT + "withdraw/", views.withdraw, name="withdraw"),
]
