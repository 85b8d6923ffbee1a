"""Staff permissions on after-sales records (merged by registry.roles after every migrate)."""

from registry.roles import CASEWORKER, LICENSING_OFFICER, REGISTRAR

LETTER_VIEW = ["aftersales.view_confirmationletter", "aftersales.view_letterrequest"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REGISTRAR: [
        f"aftersales.{verb}_{model}"
        for model in ("serviceoutlet", "warrantycommitment", "sparepartscommitment")
        for verb in ("add", "change")
    ]
    + ["aftersales.verify_serviceoutlet", *LETTER_VIEW],
    CASEWORKER: [
        "aftersales.verify_serviceoutlet",
        "aftersales.review_compliancereport",
        "aftersales.change_compliancereport",
        "aftersales.investigate_breach",
        "aftersales.view_breach",
        "aftersales.change_breach",
        *LETTER_VIEW,
    ],
    LICENSING_OFFICER: [
        "aftersales.decide_breach",
        "aftersales.view_breach",
        "aftersales.revoke_confirmationletter",
        *LETTER_VIEW,
    ],
}
