from django.urls import path

from powerbase.electoral import views

app_name = "electoral"

ORG = "o/<slug:org>/elections/"
RACE = ORG + "races/<int:race_id>/"
ENTRY = ORG + "pipeline/<int:entry_id>/"
ENDORSEMENT = ORG + "endorsements/<int:process_id>/"

urlpatterns = [
    path(ORG, views.overview, name="overview"),
    path(ORG + "new/", views.election_new, name="election_new"),
    path(ORG + "results/import/", views.results_import, name="results_import"),
    path(ORG + "<int:election_id>/", views.show_election, name="election"),
    path(ORG + "<int:election_id>/races/new/", views.race_new, name="race_new"),
    path(RACE, views.show_race, name="race"),
    path(RACE + "candidates/", views.candidate_add, name="candidate_add"),
    path(RACE + "ballots/", views.race_ballots, name="race_ballots"),
    path(RACE + "endorsement/", views.endorsement_new, name="endorsement_new"),
    path(ORG + "pipeline/", views.pipeline, name="pipeline"),
    path(ORG + "pipeline/new/", views.pipeline_add, name="pipeline_add"),
    path(ENTRY, views.pipeline_entry, name="pipeline_entry"),
    path(ENTRY + "move/", views.pipeline_move, name="pipeline_move"),
    path(ORG + "endorsements/", views.endorsements, name="endorsements"),
    path(ENDORSEMENT, views.endorsement, name="endorsement"),
    path(ENDORSEMENT + "questions/", views.endorsement_question, name="endorsement_question"),
    path(ENDORSEMENT + "responses/", views.endorsement_response, name="endorsement_response"),
    path(ENDORSEMENT + "interviews/", views.endorsement_interview, name="endorsement_interview"),
    path(ENDORSEMENT + "recommend/", views.endorsement_recommend, name="endorsement_recommend"),
    path(ENDORSEMENT + "vote/", views.endorsement_vote, name="endorsement_vote"),
    path(ENDORSEMENT + "pledges/", views.endorsement_pledges, name="endorsement_pledges"),
    path(ENDORSEMENT + "pledges/legislature/", views.endorsement_carry, name="endorsement_carry"),
]
