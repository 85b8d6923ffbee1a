"""Staff roles as Django groups, and the permissions each app grants them.

Each app declares ``ROLE_PERMISSIONS = {role: ["app_label.codename", ...]}`` in its
own ``roles.py``; ``sync_role_permissions`` gathers them after every migrate. Every
staff role also gets view permission on all of our models: staff read everything.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission

CASEWORKER = "caseworker"
LICENSING_OFFICER = "licensing_officer"
REGISTRAR = "registrar"
AUDITOR = "auditor"
STAFF_ROLES = (CASEWORKER, LICENSING_OFFICER, REGISTRAR, AUDITOR)
OUR_APPS = ("audit", "notifications", "registry", "aftersales", "licensing")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REGISTRAR: [
        f"registry.{verb}_{model}"
        for model in (
            "enterprise",
            "brand",
            "vehiclemodel",
            "authorisation",
            "issuingoffice",
            "country",
            "calendarday",
            "membership",
            "worldmanufactureridentifier",
        )
        for verb in ("add", "change")
    ]
    + ["registry.change_qualification"],
    LICENSING_OFFICER: ["registry.change_qualification"],
}


def declared_permissions() -> dict[str, set[str]]:
    """Collect every app's ROLE_PERMISSIONS into {role: {"app.codename"}}."""
    merged: dict[str, set[str]] = {role: set() for role in STAFF_ROLES}
    for label in OUR_APPS:
        if not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.roles")
        except ModuleNotFoundError:
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].update(perms)
    return merged


def _permission_objects(names: set[str]) -> list[Permission]:
    found = []
    for name in sorted(names):
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is None:
            raise LookupError(f"unknown permission {name}")
        found.append(perm)
    return found


def sync_role_permissions() -> None:
    """Create the staff groups and give each exactly its declared permissions plus view-all."""
    views = set(
        Permission.objects.filter(
            content_type__app_label__in=OUR_APPS, codename__startswith="view_"
        )
    )
    for role, names in declared_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(views | set(_permission_objects(names)))
