from django.urls import path

from powerbase.money import views

app_name = "money"

ORG = "o/<slug:org>/dues/"
AFFILIATE = ORG + "affiliates/<int:affiliate_id>/"

urlpatterns = [
    path(ORG, views.overview, name="overview"),
    path(ORG + "settings/", views.money_settings, name="settings"),
    path(ORG + "entities/", views.entity_new, name="entity_new"),
    path(ORG + "invoices/", views.invoices_issue, name="invoices_issue"),
    path("o/<slug:org>/income/", views.income, name="income"),
    path("o/<slug:org>/income/new/", views.income_new, name="income_new"),
    path("o/<slug:org>/income/grants/", views.grant_new, name="grant_new"),
    path("o/<slug:org>/income/import/", views.income_import, name="income_import"),
    path("o/<slug:org>/budgets/", views.budgets, name="budgets"),
    path("o/<slug:org>/budgets/new/", views.budget_new, name="budget_new"),
    path("o/<slug:org>/budgets/<int:budget_id>/", views.budget, name="budget"),
    path("o/<slug:org>/budgets/<int:budget_id>/lines/", views.budget_line, name="budget_line"),
    path("o/<slug:org>/expenses/new/", views.expense_new, name="expense_new"),
    path("o/<slug:org>/money/decisions/", views.decision_pick, name="decision_pick"),
    path("o/<slug:org>/books.csv", views.bookkeeper_csv, name="bookkeeper_csv"),
    path("o/<slug:org>/resources/", views.dashboard, name="dashboard"),
    path("o/<slug:org>/resources/hours/", views.hours_new, name="hours_new"),
    path("o/<slug:org>/people/<int:person_id>/dues/", views.member_dues, name="member_dues"),
    path(AFFILIATE, views.affiliate, name="affiliate"),
    path(AFFILIATE + "schedules/", views.schedule_new, name="schedule_new"),
    path(AFFILIATE + "payments/", views.payment_new, name="payment_new"),
    path(AFFILIATE + "waivers/", views.waiver_new, name="waiver_new"),
]
