"""Mail backends for tests: a server that refuses, and a sink that other processes can count."""

import os
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server down")


class RefusingToConnectBackend(RefusingBackend):
    """A mail server that cannot even be reached."""

    def open(self) -> bool:
        raise ConnectionRefusedError("no route to the mail server")


class OpenCountingBackend(BaseEmailBackend):
    """Counts connections opened and messages sent, in this process."""

    opened = 0
    sent: list[EmailMessage] = []

    def open(self) -> bool:
        type(self).opened += 1
        return True

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        type(self).sent.extend(email_messages)
        return len(email_messages)


class AppendingFileBackend(BaseEmailBackend):
    """Appends one line per message (its notification id) to MAIL_SINK_FILE, synced at once."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        path = Path(os.environ["MAIL_SINK_FILE"])
        with path.open("a") as sink:
            for message in email_messages:
                sink.write(f"{message.extra_headers['X-Notification-ID']}\n")
                sink.flush()
                os.fsync(sink.fileno())
        return len(email_messages)
