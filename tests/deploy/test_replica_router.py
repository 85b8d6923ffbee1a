"""Audit exports and verification read from the replica when DATABASE_REPLICA_URL is set."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from audit.models import AuditEvent
from config.db_router import ReplicaRouter, read_database, replica_reads


def _with_replica():  # type: ignore[no-untyped-def]
    replica = dict(settings.DATABASES["default"], TEST={"MIRROR": "default"})
    return override_settings(DATABASES={**settings.DATABASES, "replica": replica})


def test_reads_stay_on_the_primary_outside_a_replica_block():
    with _with_replica():
        assert ReplicaRouter().db_for_read(AuditEvent) == "default"


def test_reads_inside_a_replica_block_go_to_the_replica_when_one_is_configured():
    with _with_replica(), replica_reads():
        assert ReplicaRouter().db_for_read(AuditEvent) == "replica"
        assert ReplicaRouter().db_for_write(AuditEvent) == "default"


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica_reads():
        assert read_database() == "default"


def test_the_replica_never_receives_migrations():
    assert ReplicaRouter().allow_migrate("replica", "audit") is False
    assert ReplicaRouter().allow_migrate("default", "audit") is True


@pytest.mark.django_db
def test_verify_audit_reads_the_chain_inside_a_replica_block():
    seen = []

    def spy(self, key):  # type: ignore[no-untyped-def]
        seen.append(read_database())
        raise SystemExit(0)

    with (
        _with_replica(),
        mock.patch("audit.management.commands.verify_audit.Command._verify_database", spy),
        pytest.raises(SystemExit),
    ):
        call_command("verify_audit")
    assert seen == ["replica"]


@pytest.mark.django_db
def test_export_audit_streams_from_the_replica_block(tmp_path):
    seen = []
    real = __import__("audit.export", fromlist=["csv_stream"]).csv_stream

    def spy(queryset):  # type: ignore[no-untyped-def]
        seen.append((queryset.db, read_database()))
        return real(queryset.using("default"))

    with _with_replica(), mock.patch("audit.management.commands.export_audit.csv_stream", spy):
        call_command("export_audit", output=str(tmp_path / "a.csv"))
    assert seen == [("replica", "replica")]
