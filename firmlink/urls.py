from django.contrib import admin
from django.urls import include, path

from attorneys import roster_views, selfservice
from attorneys import views as attorney_views
from courts import views as court_views

admin.site.site_header = "Firmlink administration"
admin.site.site_title = "Firmlink"

urlpatterns = [
    path("", attorney_views.OverviewView.as_view(), name="overview"),
    path("links/", attorney_views.LinkListView.as_view(), name="link-list"),
    path("links/bulk/", attorney_views.LinkBulkView.as_view(), name="link-bulk"),
    path("attorneys/", attorney_views.AttorneyListView.as_view(), name="attorney-list"),
    path("attorneys/<int:pk>/", attorney_views.AttorneyDetailView.as_view(), name="attorney-detail"),
    path("attorneys/<int:pk>/record/", attorney_views.AttorneyStepView.as_view(), name="attorney-record"),
    path("roster/import/", roster_views.RosterUploadView.as_view(), name="roster-upload"),
    path("roster/import/<int:pk>/", roster_views.RosterPreviewView.as_view(), name="roster-preview"),
    path("exports/", roster_views.ExportLogView.as_view(), name="export-log"),
    path("courts/", court_views.CourtListView.as_view(), name="court-list"),
    path("courts/<slug:court_id>/", court_views.CourtDetailView.as_view(), name="court-detail"),
    path("courts/<slug:court_id>/go-live/", court_views.CourtGoLiveView.as_view(), name="court-go-live"),
    path("attorneys/<int:pk>/verify/", attorney_views.VerifyConfirmationView.as_view(), name="attorney-verify"),
    path("me/<str:token>/", selfservice.SelfServiceView.as_view(), name="self-service"),
    path("calendar/attorney/<str:token>.ics", selfservice.AttorneyCalendarView.as_view(), name="attorney-calendar"),
    path("calendar/firm/<str:token>.ics", selfservice.FirmCalendarView.as_view(), name="firm-calendar"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
