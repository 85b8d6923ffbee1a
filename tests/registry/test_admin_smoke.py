"""Every registered ModelAdmin of our apps opens for those who may see it, and only for them."""

import inspect
from importlib import import_module

import factory
import pytest
from django.contrib import admin
from django.db import connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.roles import OUR_APPS
from tests.registry.factories import MembershipFactory, UserFactory

OUR_MODEL_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)
REGISTRY_MODEL_ADMINS = [p for p in OUR_MODEL_ADMINS if p[0]._meta.app_label == "registry"]
# What the registrar may add: every registry model except qualifications (cases grant those).
REGISTRAR_MAY_NOT_ADD = {"registry.Qualification"}


def ids(pairs: list) -> list[str]:
    return [model._meta.label for model, _admin in pairs]


def factory_map() -> dict[type[models.Model], type[factory.django.DjangoModelFactory]]:
    """Find a factory for each model in tests/<app>/factories.py, where one exists."""
    found = {}
    for label in OUR_APPS:
        try:
            module = import_module(f"tests.{label}.factories")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, factory.django.DjangoModelFactory) and value._meta.model:
                found.setdefault(value._meta.model, value)
    return found


def url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def instance_of(model: type[models.Model]) -> models.Model:
    """Create one object of the model through its factory, or skip when there is none."""
    make = factory_map().get(model)
    if make is None:
        pytest.skip(f"no factory for {model._meta.label}")
    return make()


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def portal_user(db):  # type: ignore[no-untyped-def]
    return MembershipFactory(role="admin").user


@pytest.mark.parametrize(("model", "model_admin"), OUR_MODEL_ADMINS, ids=ids(OUR_MODEL_ADMINS))
def test_superuser_opens_every_changelist_add_and_change_page(
    client, superuser, model, model_admin
):
    client.force_login(superuser)
    assert client.get(url(model, "changelist")).status_code == 200
    request = RequestFactory().get("/")
    request.user = superuser
    add_expected = 200 if model_admin.has_add_permission(request) else 403
    assert client.get(url(model, "add")).status_code == add_expected
    obj = instance_of(model)
    assert client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), OUR_MODEL_ADMINS, ids=ids(OUR_MODEL_ADMINS))
def test_portal_user_is_refused_and_sent_to_the_portal(client, portal_user, model, model_admin):
    client.force_login(portal_user)
    for page in (url(model, "changelist"), url(model, "add")):
        response = client.get(page)
        assert response.status_code == 403
        assert reverse("portal:home") in response.content.decode()


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY_MODEL_ADMINS, ids=ids(REGISTRY_MODEL_ADMINS)
)
def test_registrar_adds_and_changes_registry_records(client, registrar, model, model_admin):
    client.force_login(registrar)
    assert client.get(url(model, "changelist")).status_code == 200
    add = client.get(url(model, "add")).status_code
    assert add == (403 if model._meta.label in REGISTRAR_MAY_NOT_ADD else 200)
    response = client.get(url(model, "change", instance_of(model).pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"]


@pytest.mark.parametrize("role", ["caseworker", "auditor", "officer"])
@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY_MODEL_ADMINS, ids=ids(REGISTRY_MODEL_ADMINS)
)
def test_other_staff_only_read_the_registry(client, request, role, model, model_admin):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(url(model, "changelist")).status_code == 200
    assert client.get(url(model, "add")).status_code == 403
    obj = instance_of(model)
    response = client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    # Officers move qualifications through actions; every other page is read-only for them.
    may_change = role == "officer" and model._meta.label == "registry.Qualification"
    assert response.context["has_change_permission"] is may_change
    assert (b'name="_save"' in response.content) is may_change


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY_MODEL_ADMINS, ids=ids(REGISTRY_MODEL_ADMINS)
)
def test_nobody_may_delete_registry_history(superuser, model, model_admin):
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_staff_without_a_role_cannot_see_the_registry(client, db):
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert client.get(reverse("admin:registry_enterprise_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY_MODEL_ADMINS, ids=ids(REGISTRY_MODEL_ADMINS)
)
def test_changelist_queries_do_not_grow_with_the_rows(
    client, superuser, django_assert_max_num_queries, model, model_admin
):
    make = factory_map()[model]
    make.create_batch(2)
    if model.objects.count() < 2:
        pytest.skip(f"the {model._meta.label} factory reuses one row")
    client.force_login(superuser)
    page = url(model, "changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    make.create_batch(6)
    with django_assert_max_num_queries(len(few)):
        client.get(page)
