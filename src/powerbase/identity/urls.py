from django.urls import path

from powerbase.identity import views

app_name = "identity"

ORG = "o/<slug:org>/identity/"

urlpatterns = [
    path(ORG, views.overview, name="overview"),
    path(ORG + "start/<str:kind>/", views.start, name="start"),
    path(ORG + "runs/<int:run_id>/", views.show_run, name="run"),
    path(ORG + "review/", views.review, name="review"),
    path(ORG + "pairs/<int:pair_id>/decide/", views.decide, name="decide"),
    path(ORG + "merges/<int:merge_id>/undo/", views.undo, name="undo"),
    path(ORG + "people/<int:person_id>/unlink/", views.unlink, name="unlink"),
]
