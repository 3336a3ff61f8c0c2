from django.urls import path

from powerbase.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("o/<slug:org>/members/", views.members, name="members"),
    path("o/<slug:org>/members/add/", views.member_add, name="member_add"),
    path("o/<slug:org>/members/<int:member_id>/", views.member, name="member"),
    path("o/<slug:org>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:org>/settings/", views.organization_settings, name="settings"),
    path("o/<slug:org>/audit/", views.audit_log, name="audit_log"),
    path("o/<slug:org>/jobs/", views.jobs, name="jobs"),
    path("o/<slug:org>/jobs/<int:job_id>/", views.job, name="job"),
    path("o/<slug:org>/exports/", views.my_exports, name="exports"),
    path("o/<slug:org>/exports/<int:export_id>/", views.export, name="export"),
    path(
        "o/<slug:org>/exports/<int:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
    path("o/<slug:org>/soon/<slug:domain>/", views.coming, name="coming"),
]
