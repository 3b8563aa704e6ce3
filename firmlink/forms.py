from django.db import models


def https_formfield(field, **kwargs):
    """ModelForm field callback: addresses typed without a scheme mean https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)
