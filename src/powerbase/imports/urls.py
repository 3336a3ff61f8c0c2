from django.urls import path

from powerbase.imports import views

app_name = "imports"

urlpatterns = [
    path("o/<slug:org>/imports/", views.imports, name="imports"),
    path("o/<slug:org>/imports/<int:batch_id>/", views.show_batch, name="batch"),
    path("o/<slug:org>/imports/<int:batch_id>/status/", views.batch_status, name="status"),
    path("o/<slug:org>/imports/<int:batch_id>/commit/", views.commit, name="commit"),
    path("o/<slug:org>/imports/<int:batch_id>/undo/", views.undo, name="undo"),
    path("o/<slug:org>/imports/<int:batch_id>/fix/", views.fix, name="fix"),
    path("o/<slug:org>/imports/<int:batch_id>/preview/", views.preview, name="preview"),
    path(
        "o/<slug:org>/imports/<int:batch_id>/problems.csv", views.problems_csv, name="problems_csv"
    ),
]
