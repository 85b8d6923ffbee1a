"""Portal views: parse input, call services or selectors, render."""

from portal.views.cases import case_detail, case_list, case_respond_view
from portal.views.home import home
from portal.views.licences import licence_certificate, licence_list

__all__ = [
    "case_detail",
    "case_list",
    "case_respond_view",
    "home",
    "licence_certificate",
    "licence_list",
]
