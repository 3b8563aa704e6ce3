"""Headers for every response Django renders (static files are served before this runs)."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers


class PrivateResponseMiddleware:
    """Nothing Django renders is stored by a browser or proxy cache: pages, exports and feeds all
    carry a firm's data (``Cache-Control: no-store``); and the Permissions-Policy switches off the
    browser features no page uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        policy = getattr(settings, "FIRMLINK_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class RejectNulMiddleware:
    """A NUL character in a query string or form field is refused with a 400: no one types it,
    PostgreSQL cannot store or even compare it (it would end in a 500), and a search with it
    means nothing. Uploaded files are not concerned (the roster import says what is wrong)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        b"A field of this request contains a NUL character (\\x00); nothing was done.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
