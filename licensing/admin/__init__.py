"""The licensing admin: the caseworker workplace (cases) and, alongside, the licences."""

from licensing.admin import breaches, cases, licences, reports  # noqa: F401
