"""Readable names of the licensing notices and reminders (see notifications.kinds)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "case_assigned": _("Case assigned"),
    "case_info_requested": _("Information requested"),
    "case_responded": _("Answer received"),
    "case_returned": _("Case returned"),
    "case_withdrawn": _("Case withdrawn"),
    "case_decided": _("Case decided"),
    "licence_issued": _("Licence issued"),
    "licence_suspend": _("Licence suspended"),
    "licence_reinstate": _("Licence reinstated"),
    "licence_revoke": _("Licence revoked"),
    "licence_expire": _("Licence expired"),
    "licence_exhaust": _("Licence used up"),
    "licence.expiring": _("Licence expiring"),
    "licence.no_declarations_left": _("Licence without declarations left"),
    "qualification.renewal_open": _("Qualification renewal open"),
    "qualification.renewal_closing": _("Qualification renewal closing"),
    "case.information_due_soon": _("Answer due soon"),
    "case.information_overdue": _("Answer overdue"),
    "case.answer_overdue": _("Applicant's answer overdue"),
    "case.sla_due_soon": _("Review deadline tomorrow"),
    "case.sla_overdue": _("Review deadline passed"),
}
