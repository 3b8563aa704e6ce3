from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Firmlink administration"
admin.site.site_title = "Firmlink"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="overview"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
