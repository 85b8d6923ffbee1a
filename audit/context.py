"""Request context (client IP) made available to audit_record without passing it around."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)
