from django.apps import AppConfig


class FirmlinkConfig(AppConfig):
    name = "firmlink"
    verbose_name = "Firmlink"
