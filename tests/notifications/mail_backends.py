"""Mail backends for tests: a server that refuses, and a sink that other processes can count."""

import os
import time
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


class HoldingFileBackend(AppendingFileBackend):
    """The file sink, except that the MAIL_SINK_HOLD_AT-th message of this process hangs
    before the server accepts it, after writing MAIL_SINK_FILE + ".holding": a worker the test
    kills then dies mid-delivery, with the message in flight."""

    handled = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        type(self).handled += len(email_messages)
        if type(self).handled >= int(os.environ.get("MAIL_SINK_HOLD_AT") or 10**9):
            Path(os.environ["MAIL_SINK_FILE"] + ".holding").touch()
            time.sleep(120)
        return super().send_messages(email_messages)
