import pytest
from django.db import IntegrityError, transaction

from attorneys.models import Attorney, CourtLink
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory

pytestmark = pytest.mark.django_db


def test_attorney_email_is_unique_whatever_the_case():
    AttorneyFactory(email="James.Alison@Firm.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        AttorneyFactory(email="james.alison@firm.EXAMPLE")
    assert Attorney.objects.count() == 1


def test_one_pair_per_attorney_and_court():
    link = CourtLinkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtLink.objects.create(attorney=link.attorney, court=link.court)
    CourtLinkFactory(attorney=link.attorney, court=CourtFactory())
    assert link.attorney.links.count() == 2


def test_filing_menus_need_a_link_or_a_registration_first():
    link = CourtLinkFactory()
    link.menus_confirmed_on = link.court.nextgen_go_live
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()
