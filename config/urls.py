"""URL map: each app owns its addresses; organization pages live under /o/<org>/."""

from django.urls import include, path

urlpatterns = [
    path("", include("powerbase.core.urls")),
    path("", include("powerbase.power.urls")),
    path("", include("powerbase.coalition.urls")),
    path("", include("powerbase.people.urls")),
    path("", include("powerbase.imports.urls")),
    path("", include("powerbase.voterfile.urls")),
    path("", include("powerbase.actions.urls")),
    path("", include("powerbase.democracy.urls")),
    path("", include("powerbase.identity.urls")),
    path("", include("powerbase.legislature.urls")),
    path("", include("powerbase.electoral.urls")),
    path("", include("powerbase.field.urls")),
    path("", include("powerbase.messaging.urls")),
    path("", include("powerbase.money.urls")),
    path("", include("powerbase.school.urls")),
    path("", include("powerbase.strategy.urls")),
    path("", include("powerbase.bargaining.urls")),
    path("", include("powerbase.api.urls")),
    path("", include("powerbase.messaging.sms.urls")),
]

handler403 = "powerbase.core.views.error_403"
handler404 = "powerbase.core.views.error_404"
handler500 = "powerbase.core.views.error_500"
