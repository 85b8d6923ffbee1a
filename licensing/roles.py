"""Licensing permissions granted to each staff role (synced after every migrate)."""

from registry.roles import CASEWORKER, LICENSING_OFFICER

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKER: ["licensing.assess_case"],
    # Officers may also assess; they never decide a case they recommended (four-eyes).
    LICENSING_OFFICER: [
        "licensing.assess_case",
        "licensing.decide_case",
        "licensing.act_on_licence",
    ],
}
