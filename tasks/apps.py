from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Reminders"

    def ready(self):
        from . import checks  # noqa: F401  (registers the worker settings checks)
