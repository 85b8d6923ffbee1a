from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "aftersales"
    default_auto_field = "django.db.models.BigAutoField"
