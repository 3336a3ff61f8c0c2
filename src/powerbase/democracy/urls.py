from django.urls import path

from powerbase.democracy import views, voter_views

app_name = "democracy"

ORG = "o/<slug:org>/democracy/"
VOTE = ORG + "votes/<int:vote_id>/"
ASSEMBLY = ORG + "assemblies/<int:assembly_id>/"
PROPOSAL = ORG + "proposals/<int:proposal_id>/"

urlpatterns = [
    # The voters' public pages, reached by a voting code or a published vote's id.
    path("vote/", voter_views.ballot_entry, name="ballot_entry"),
    path("vote/<str:code>/", voter_views.ballot, name="ballot"),
    path("results/<str:public_id>/", voter_views.published, name="published"),
    path(
        "results/<str:public_id>/ballots.csv",
        voter_views.published_ballots,
        name="published_ballots",
    ),
    # The organization's pages.
    path(ORG, views.overview, name="overview"),
    path(ORG + "electorates/", views.electorate_list, name="electorates"),
    path(ORG + "electorates/new/", views.electorate_new, name="electorate_new"),
    path(ORG + "electorates/<int:electorate_id>/", views.show_electorate, name="electorate"),
    path(
        ORG + "electorates/<int:electorate_id>/weights/",
        views.electorate_weights,
        name="electorate_weights",
    ),
    path(ORG + "delegates/", views.delegate_list, name="delegates"),
    path(ORG + "delegates/new/", views.delegate_new, name="delegate_new"),
    path(
        ORG + "delegates/<int:delegate_id>/remove/", views.delegate_remove, name="delegate_remove"
    ),
    path(ORG + "bodies/", views.body_list, name="bodies"),
    path(ORG + "bodies/new/", views.body_new, name="body_new"),
    path(ORG + "bodies/<int:body_id>/seats/new/", views.seat_new, name="seat_new"),
    path(ORG + "seats/<int:seat_id>/holder/", views.seat_holder, name="seat_holder"),
    path(ORG + "votes/new/", views.vote_new, name="vote_new"),
    path(ORG + "endorsements/new/", views.endorsement_new, name="endorsement_new"),
    path(VOTE, views.show_vote, name="vote"),
    path(VOTE + "edit/", views.vote_edit, name="vote_edit"),
    path(VOTE + "candidates/", views.candidate_add, name="candidate_add"),
    path(
        VOTE + "candidates/<int:candidate_id>/remove/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path(VOTE + "proxies/", views.proxy_add, name="proxy_add"),
    path(VOTE + "step/", views.vote_step, name="vote_step"),
    path(VOTE + "links/", views.vote_links, name="vote_links"),
    path(VOTE + "codes/", views.vote_codes, name="vote_codes"),
    path(VOTE + "roll/", views.vote_roll, name="vote_roll"),
    path(
        VOTE + "roll/<int:eligibility_id>/paper/",
        views.vote_paper_handout,
        name="vote_paper_handout",
    ),
    path(VOTE + "paper/", views.vote_paper, name="vote_paper"),
    path(VOTE + "ballots.csv", views.vote_ballots_csv, name="vote_ballots_csv"),
    path(ORG + "assemblies/new/", views.assembly_new, name="assembly_new"),
    path(ASSEMBLY, views.show_assembly, name="assembly"),
    path(ASSEMBLY + "attendance/", views.assembly_attendance, name="assembly_attendance"),
    path(ASSEMBLY + "agenda/", views.assembly_agenda, name="assembly_agenda"),
    path(ASSEMBLY + "status/", views.assembly_status, name="assembly_status"),
    path(ASSEMBLY + "decisions/", views.assembly_decision, name="assembly_decision"),
    path(ASSEMBLY + "minutes/", views.assembly_minutes, name="assembly_minutes"),
    path(ORG + "proposals/new/", views.proposal_new, name="proposal_new"),
    path(PROPOSAL, views.show_proposal, name="proposal"),
    path(PROPOSAL + "comments/", views.proposal_comment, name="proposal_comment"),
    path(PROPOSAL + "amendments/", views.proposal_amend, name="proposal_amend"),
    path(
        PROPOSAL + "amendments/<int:amendment_id>/decide/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path(PROPOSAL + "status/", views.proposal_status, name="proposal_status"),
    path(PROPOSAL + "vote/", views.proposal_vote, name="proposal_vote"),
]
