ROLE_PERMISSIONS = {"auditor": ["audit.export_auditevent"]}
