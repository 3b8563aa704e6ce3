"""The vocabularies of attorneys and pairs, below the status and the models that use them."""

from django.db import models


class PacerAccount(models.TextChoices):
    NONE = "none", "No PACER account"
    LEGACY = "legacy", "Legacy PACER account"
    UPGRADED = "upgraded", "Upgraded PACER account"


class Step(models.TextChoices):
    """What a history row records."""

    # PACER level, once per attorney
    PACER_ACCOUNT = "pacer_account", "PACER account"
    PACER_INDIVIDUAL = "pacer_individual", "Individual PACER account"
    # once per attorney and court
    EFILING_ACCOUNT = "efiling_account", "E-filing account in this court"
    NEW_TO_COURT = "new_to_court", "New to this court"
    CMECF_LOGIN_KNOWN = "cmecf_login_known", "Old CM/ECF login known"
    LINKED = "linked", "Accounts linked"
    FILING_MENUS = "filing_menus", "Filing menus visible"
    REGISTERED = "registered", "E-filing access granted (new filer)"
    # roster records
    ATTORNEY_ADDED = "attorney_added", "Attorney added"
    COURT_ADDED = "court_added", "Court added for attorney"
    NAME = "name", "Name"
    EMAIL = "email", "Email"
    BAR_NUMBER = "bar_number", "Bar number"
    PACER_USERNAME = "pacer_username", "PACER username"
    ACTIVE = "active", "Active"
    LOGIN = "login", "Firmlink login"
    STAFF = "staff", "Staff member"
    LINKS_REVOKED = "links_revoked", "Email and calendar links revoked"
    # court level
    GO_LIVE = "go_live", "NextGen go-live date"
    LIVE_BY = "live_by", "On NextGen by (bound)"
    COURT_DETAIL = "court_detail", "Court directory entry"
    COURT_CREATED = "court_created", "Court added to the directory"
    # an attorney's own confirmation checked by staff
    VERIFIED = "verified", "Attorney's confirmation verified"


# The steps recorded on a pair, and on an attorney (PACER level, once for all courts).
LINK_STEPS = (
    Step.EFILING_ACCOUNT,
    Step.NEW_TO_COURT,
    Step.CMECF_LOGIN_KNOWN,
    Step.LINKED,
    Step.FILING_MENUS,
    Step.REGISTERED,
)
ATTORNEY_STEPS = (Step.PACER_ACCOUNT, Step.PACER_INDIVIDUAL)
# Which step a field's change is recorded as: the roster import, the admin and the dashboard
# all write the history through this one table.
STEP_OF_ATTORNEY_FIELD = {
    "name": Step.NAME,
    "email": Step.EMAIL,
    "bar_number": Step.BAR_NUMBER,
    "pacer_username": Step.PACER_USERNAME,
    "is_active": Step.ACTIVE,
    "pacer_account": Step.PACER_ACCOUNT,
    "pacer_individual": Step.PACER_INDIVIDUAL,
}
STEP_OF_LINK_FIELD = {
    "efiling_account": Step.EFILING_ACCOUNT,
    "new_to_court": Step.NEW_TO_COURT,
    "cmecf_login_known": Step.CMECF_LOGIN_KNOWN,
}
