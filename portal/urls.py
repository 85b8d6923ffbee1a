"""Manufacturer-facing portal pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views
from portal.views import account, company, fleet, letters, letters_maker, notifications, reports

app_name = "portal"
OUTLET = {"kind": "outlet"}
WARRANTY = {"kind": "warranty"}
PARTS = {"kind": "spare_parts"}
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/respond/", views.case_respond_view, name="case_respond"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", views.case_submit_view, name="case_submit"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw_view, name="case_withdraw"),
    path("cases/<int:pk>/documents/", views.case_document_add, name="case_document_add"),
    path("apply/<str:kind>/", views.apply, name="apply"),
    path("licences/", views.licence_list, name="licence_list"),
    path("licences/<int:pk>/", views.licence_detail, name="licence_detail"),
    path(
        "licences/<int:pk>/declarations/new/",
        views.declaration_create,
        name="declaration_create",
    ),
    path(
        "licences/<int:pk>/certificate.pdf",
        views.licence_certificate,
        name="licence_certificate",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<str:pk>/read/", notifications.notification_read, name="notification_read"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path("company/", company.company, name="company"),
    path("company/invite/", company.member_invite, name="member_invite"),
    path("company/members/<str:pk>/role/", company.member_role, name="member_role"),
    path(
        "company/members/<str:pk>/deactivate/",
        company.member_deactivate,
        name="member_deactivate",
    ),
    path("company/tokens/", company.token_create, name="token_create"),
    path("company/tokens/<str:pk>/revoke/", company.token_revoke, name="token_revoke"),
    path("account/", account.account, name="account"),
    path("account/password/", account.PASSWORD_CHANGE, name="password_change"),
    path("account/password/done/", account.password_change_done, name="password_change_done"),
    path("password-reset/", account.PASSWORD_RESET, name="password_reset"),
    path("password-reset/sent/", account.PASSWORD_RESET_DONE, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        account.PASSWORD_RESET_CONFIRM,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", account.PASSWORD_RESET_COMPLETE, name="password_reset_complete"),
    path("aftersales/", views.aftersales, name="aftersales"),
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/new/", letters_maker.letter_new, name="letter_new"),
    path("letters/<int:pk>/letter.pdf", letters.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/revoke/", letters_maker.letter_revoke_view, name="letter_revoke"),
    path("letters/requests/new/", letters.letter_request_new, name="letter_request_new"),
    path("letters/requests/<int:pk>/", letters_maker.letter_request_detail, name="letter_request"),
    path(
        "letters/requests/<int:pk>/issue/",
        letters_maker.letter_request_issue,
        name="letter_request_issue",
    ),
    path(
        "letters/requests/<int:pk>/refuse/",
        letters_maker.letter_request_refuse_view,
        name="letter_request_refuse",
    ),
    path(
        "letters/requests/<int:pk>/withdraw/",
        letters.letter_request_withdraw_view,
        name="letter_request_withdraw",
    ),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/submit/", reports.report_submit, name="report_submit"),
    path("vehicles/", fleet.vehicle_list, name="vehicle_list"),
    path("vehicles/<str:pk>/registration/", fleet.vehicle_register, name="vehicle_register"),
    path("vehicles/first-registrations/", fleet.registrations_upload, name="registrations_upload"),
    path("aftersales/outlets/new/", views.record_create, OUTLET, name="outlet_create"),
    path("aftersales/outlets/<int:pk>/", views.record_edit, OUTLET, name="outlet_edit"),
    path("aftersales/warranty/new/", views.record_create, WARRANTY, name="warranty_create"),
    path("aftersales/warranty/<int:pk>/", views.record_edit, WARRANTY, name="warranty_edit"),
    path("aftersales/spare-parts/new/", views.record_create, PARTS, name="spare_parts_create"),
    path("aftersales/spare-parts/<int:pk>/", views.record_edit, PARTS, name="spare_parts_edit"),
]
