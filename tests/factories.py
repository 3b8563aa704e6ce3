import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from attorneys.choices import PacerAccount
from attorneys.models import Attorney, CourtLink
from courts.models import Court, CourtType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@firm.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court

    court_id = factory.Sequence(lambda n: f"zz{n}b")
    name = factory.Sequence(lambda n: f"Test Bankruptcy Court {n}")
    court_type = CourtType.BANKRUPTCY
    state = "NY"
    ecf_url = factory.LazyAttribute(lambda c: f"https://ecf.{c.court_id}.uscourts.gov/")
    nextgen_go_live = datetime.date(2021, 2, 16)


class AttorneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attorney

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"attorney{n}@firm.example")
    bar_number = factory.Sequence(lambda n: f"NY{100000 + n}")
    pacer_username = factory.Sequence(lambda n: f"pacer{n}")
    pacer_account = PacerAccount.UPGRADED
    pacer_individual = True


class CourtLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourtLink

    attorney = factory.SubFactory(AttorneyFactory)
    court = factory.SubFactory(CourtFactory)
