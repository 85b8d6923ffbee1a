"""Portal views: parse input, call services or selectors, render."""

from portal.views.aftersales import aftersales, record_create, record_edit
from portal.views.applications import apply, case_edit
from portal.views.case_actions import (
    case_document_add,
    case_respond_view,
    case_submit_view,
    case_withdraw_view,
)
from portal.views.cases import case_detail, case_list
from portal.views.declarations import declaration_create
from portal.views.home import home
from portal.views.licences import licence_certificate, licence_detail, licence_list

__all__ = [
    "apply",
    "aftersales",
    "declaration_create",
    "licence_detail",
    "record_create",
    "record_edit",
    "case_detail",
    "case_document_add",
    "case_edit",
    "case_list",
    "case_respond_view",
    "case_submit_view",
    "case_withdraw_view",
    "home",
    "licence_certificate",
    "licence_list",
]
