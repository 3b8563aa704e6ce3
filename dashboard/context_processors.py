from django.conf import settings

from core import clock


def firmlink(request):
    return {
        "firm_name": settings.FIRMLINK_FIRM_NAME,
        "as_of": clock.as_of(),
        "today": clock.today(),
        "firm_time_zone": settings.FIRM_TIME_ZONE,
    }
