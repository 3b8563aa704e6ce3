from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from dashboard.views import (
    attorneys,
    campaigns,
    courts,
    departure,
    exports,
    history,
    links,
    overview,
    people,
    roster,
    search,
    selfservice,
    verify,
)

admin.site.site_header = "Firmlink administration"
admin.site.site_title = "Firmlink"

urlpatterns = [
    path("", overview.OverviewView.as_view(), name="overview"),
    path("links/", links.LinkListView.as_view(), name="link-list"),
    path("links/bulk/", links.LinkBulkView.as_view(), name="link-bulk"),
    path("attorneys/", attorneys.AttorneyListView.as_view(), name="attorney-list"),
    path("attorneys/new/", people.AttorneyCreateView.as_view(), name="attorney-new"),
    path("attorneys/<int:pk>/", attorneys.AttorneyDetailView.as_view(), name="attorney-detail"),
    path("attorneys/<int:pk>/edit/", people.AttorneyEditView.as_view(), name="attorney-edit"),
    path("attorneys/<int:pk>/active/", people.AttorneyActiveView.as_view(), name="attorney-active"),
    path("attorneys/<int:pk>/links/revoke/", people.AttorneyLinksRevokeView.as_view(), name="attorney-links-revoke"),
    path("attorneys/<int:pk>/departure/", departure.DepartureView.as_view(), name="attorney-departure"),
    path("logins/", people.LoginListView.as_view(), name="login-list"),
    path("staff/", people.StaffListView.as_view(), name="staff-list"),
    path("staff/<int:pk>/left/", people.StaffLeftView.as_view(), name="staff-left"),
    path("logins/new/", people.LoginEditView.as_view(), name="login-new"),
    path("logins/<int:pk>/", people.LoginEditView.as_view(), name="login-edit"),
    path("logins/<int:pk>/unlock/", people.LoginUnlockView.as_view(), name="login-unlock"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<slug:slug>/", campaigns.CampaignOverviewView.as_view(), name="campaign-overview"),
    path("campaigns/<slug:slug>/attorneys/", campaigns.CampaignAttorneysView.as_view(), name="campaign-attorneys"),
    path("campaigns/<slug:slug>/bulk/", campaigns.CampaignBulkView.as_view(), name="campaign-bulk"),
    path("campaigns/<slug:slug>/settings/", campaigns.CampaignSettingsView.as_view(), name="campaign-settings"),
    path("campaigns/<slug:slug>/court-date/", campaigns.CampaignCourtDateView.as_view(), name="campaign-court-date"),
    path(
        "campaigns/<slug:slug>/attorneys/<int:pk>/record/",
        campaigns.CampaignRecordView.as_view(),
        name="campaign-record",
    ),
    path("history/", history.HistoryView.as_view(), name="history"),
    path("history/<int:pk>/correct/", history.CorrectView.as_view(), name="history-correct"),
    path("verify/", verify.VerificationQueueView.as_view(), name="verify"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("me/confirm/", selfservice.MyConfirmationView.as_view(), name="my-confirm"),
    path("attorneys/<int:pk>/record/", attorneys.AttorneyStepView.as_view(), name="attorney-record"),
    path("roster/import/", roster.RosterUploadView.as_view(), name="roster-upload"),
    path("roster/template.csv", roster.RosterTemplateView.as_view(), name="roster-template"),
    path("roster/import/<int:pk>/", roster.RosterPreviewView.as_view(), name="roster-preview"),
    path("exports/", exports.ExportLogView.as_view(), name="export-log"),
    path("courts/", courts.CourtListView.as_view(), name="court-list"),
    path("courts/<slug:court_id>/", courts.CourtDetailView.as_view(), name="court-detail"),
    path("courts/<slug:court_id>/go-live/", courts.CourtGoLiveView.as_view(), name="court-go-live"),
    path("attorneys/<int:pk>/verify/", attorneys.VerifyConfirmationView.as_view(), name="attorney-verify"),
    path("me/<str:token>/", selfservice.SelfServiceView.as_view(), name="self-service"),
    path("calendar/attorney/<str:token>.ics", selfservice.AttorneyCalendarView.as_view(), name="attorney-calendar"),
    path("calendar/firm/<str:token>.ics", selfservice.FirmCalendarView.as_view(), name="firm-calendar"),
    # Sign-in, sign-out and changing one's own password. No self-service password reset: an
    # administrator sets a new password on the login's page (and unlocks a locked-out account).
    path("accounts/login/", people.FirmlinkLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/firmlink_password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/firmlink_password_changed.html"),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]
