"""Settings package: ``base`` plus one module per environment.

``local`` (the default of ``manage.py``) for development and ``make run``, ``test`` for the
test suite, ``production`` for deployments. Integrations live in their own modules
(``celery_conf``, ``email_conf``) and are imported by ``base``.
"""
