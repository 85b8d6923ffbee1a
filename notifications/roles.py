"""Who may act on the outbox (gathered by registry.roles after every migrate)."""

RESEND = "notifications.resend_notification"
ROLE_PERMISSIONS = {"licensing_officer": [RESEND], "registrar": [RESEND]}
