"""Portal views: parse input, call services or selectors, render."""

from portal.views.aftersales import aftersales, record_create, record_edit
from portal.views.cases import case_detail, case_list, case_respond_view
from portal.views.declarations import declaration_create
from portal.views.home import home
from portal.views.licences import licence_certificate, licence_detail, licence_list

__all__ = [
    "aftersales",
    "declaration_create",
    "licence_detail",
    "record_create",
    "record_edit",
    "case_detail",
    "case_list",
    "case_respond_view",
    "home",
    "licence_certificate",
    "licence_list",
]
