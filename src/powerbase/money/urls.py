from django.urls import path

from powerbase.money import views

app_name = "money"

ORG = "o/<slug:org>/dues/"
AFFILIATE = ORG + "affiliates/<int:affiliate_id>/"

urlpatterns = [
    path(ORG, views.overview, name="overview"),
    path(ORG + "settings/", views.money_settings, name="settings"),
    path(ORG + "invoices/", views.invoices_issue, name="invoices_issue"),
    path(AFFILIATE, views.affiliate, name="affiliate"),
    path(AFFILIATE + "schedules/", views.schedule_new, name="schedule_new"),
    path(AFFILIATE + "payments/", views.payment_new, name="payment_new"),
    path(AFFILIATE + "waivers/", views.waiver_new, name="waiver_new"),
]
