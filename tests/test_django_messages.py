"""Django admin messages our catalogue translates because Django's Chinese catalogue does not."""

from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from config.django_messages import DJANGO_ADMIN_MESSAGES

ADMIN_MSGIDS = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/django.po"


def test_each_message_is_still_one_django_admin_uses():
    with ADMIN_MSGIDS.open("rb") as po_file:
        msgids = {message.id for message in read_po(po_file)}
    assert set(DJANGO_ADMIN_MESSAGES) <= msgids


@pytest.mark.parametrize("msgid", DJANGO_ADMIN_MESSAGES)
def test_each_message_reads_in_chinese(msgid):
    with translation.override("zh-hans"):
        chinese = translation.gettext(msgid)
    assert chinese != msgid
    assert not any("a" <= character.lower() <= "z" for character in chinese)


@pytest.mark.django_db
def test_the_add_user_form_sent_back_with_errors_reads_in_chinese(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/", {}, headers={"accept-language": "zh-hans"}
    )
    page = response.content.decode()
    assert "<title>错误：" in page
    assert "创建用户后，您可以编辑更多用户选项。" in page
