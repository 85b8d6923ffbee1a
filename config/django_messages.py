"""Django admin messages that Django's own Chinese catalogue leaves in English.

Django 5.2's admin templates use these msgids, but its zh_Hans catalogue has no entry for
them, so a Chinese admin page shows them in English: the sidebar's and the index's table
headings (admin/app_list.html, read out by screen readers), the "Error:" before the title
of a form sent back with errors (admin/change_form.html) and the note on the add-user form
(admin/auth/user/add_form.html). Marking them here makes `makemessages` keep them in our
catalogue, whose translations (LOCALE_PATHS) take precedence over Django's.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_MESSAGES = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)
