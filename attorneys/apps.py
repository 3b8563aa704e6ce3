from django.apps import AppConfig


class AttorneysConfig(AppConfig):
    name = "attorneys"
    verbose_name = "Attorneys and links"
