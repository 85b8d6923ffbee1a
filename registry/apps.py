from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from registry.roles import sync_role_permissions

    # Other apps' permissions may not exist yet when our post_migrate runs first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_role_permissions()


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After the last app migrates, so every app's permissions exist.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="registry.sync_roles")
        from registry import language  # noqa: F401  (connects the sign-in receiver)
