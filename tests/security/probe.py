"""Send one request per route, role and object, and classify the answer."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.security.routes import API_PREFIX, PLACEHOLDER, api_operations, url_routes
from tests.security.world import MISSING_ID, ROLES, World

CSRF_SECRET = "m" * 32
LOGIN_PAGES = ("/portal/login/", "/admin/login/")
# Routes under the API prefix that the OpenAPI schema does not publish.
API_OUTSIDE_SCHEMA = ("api/v1/",)
THROTTLED = ("/verify/", "/coverage/")
REFUSED_VERB = "auth.permission.refused"

# Which object a route's {pk}/{id} names, by the path it starts with (longest first wins).
OBJECT_OF = {
    "portal/cases/": "case",
    "portal/licences/": "licence",
    "portal/notifications/": "notification",
    "portal/company/members/": "member",
    "portal/company/tokens/": "token",
    "portal/aftersales/outlets/": "outlet",
    "portal/aftersales/warranty/": "warranty",
    "portal/aftersales/spare-parts/": "spare_parts",
    "portal/vehicles/": "vehicle",
    "portal/letters/requests/": "letter_request",
    "portal/letters/": "letter",
    "api/v1/cases/": "case",
    "api/v1/licences/": "licence",
    "api/v1/notifications/": "notification",
    "api/v1/enterprises/": "enterprise",
    "api/v1/brands/": "brand",
    "api/v1/vehicle-models/": "vehicle_model",
    "api/v1/authorisations/": "authorisation",
    "api/v1/qualifications/": "qualification",
    "api/v1/service-outlets/": "outlet",
    "api/v1/warranty-commitments/": "warranty",
    "api/v1/spare-parts-commitments/": "spare_parts",
    "api/v1/exported-vehicles/": "vehicle",
    "api/v1/obligations/": "obligation",
    "api/v1/compliance-reports/": "report",
    "api/v1/letter-requests/": "letter_request",
    "api/v1/confirmation-letters/": "letter",
    "api/v1/verify/letter/": "letter",
    "api/v1/verify/": "licence",
    "verify/letter/": "letter",
    "verify/": "licence",
}


@dataclass(frozen=True)
class Answer:
    status: int
    outcome: str
    body: bytes
    audited: bool


def classify(response) -> str:  # type: ignore[no-untyped-def]
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302, 303) and location.split("?")[0].endswith(LOGIN_PAGES):
        return "login"
    if status < 400 or status in (400, 409, 413, 415, 422):
        return "ok"
    return str(status)


def object_kind(shape: str) -> str | None:
    for prefix in sorted(OBJECT_OF, key=len, reverse=True):
        if shape.startswith(prefix):
            return OBJECT_OF[prefix]
    return None


def variants(route_shape: str, params: tuple[str, ...]) -> tuple[str, ...]:
    """own / other / missing for enterprise objects; existing / missing for admin objects."""
    if not params or params in (("kind",), ("app_label",), ("url",), ("uidb64", "token")):
        return ("none",)
    if route_shape.startswith("admin/"):
        return ("own", "missing")
    return ("own", "other", "missing")


def url_for(shape: str, params: tuple[str, ...], variant: str, world: World) -> str:
    objects = {"own": world.own, "other": world.other}.get(variant, {})
    kind = object_kind(shape)
    values = []
    for name in params:
        values.append(_value(name, shape, kind, objects, world))
    return "/" + shape.format(*values)


def _value(name, shape, kind, objects, world):  # type: ignore[no-untyped-def]
    if name in ("pk", "id", "object_id", "number"):
        if shape.startswith("admin/r/"):
            return objects["case"].pk if objects else MISSING_ID
        if shape.startswith("admin/"):
            return _admin_object_id(shape, bool(objects))
        if not objects or kind is None:
            return MISSING_ID
        target = objects[kind]
        return target.number if name == "number" else target.pk
    fixed = {
        "document_id": objects["document"].pk if objects else MISSING_ID,
        "evidence_id": objects["breach_evidence"].pk if objects else MISSING_ID,
        "enterprise_id": objects["enterprise"].pk if objects else MISSING_ID,
        "content_type_id": ContentType.objects.get_for_model(apps.get_model("licensing.Case")).pk,
        "kind": "licence",
        "action": "withdraw",
        "app_label": "licensing",
        "url": "no-such-page/",
        "uidb64": "MQ",
        "token": "no-such-token",
    }
    return fixed[name]


def _admin_object_id(shape: str, existing: bool):  # type: ignore[no-untyped-def]
    app_label, model_name = shape.split("/")[1:3]
    instance = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
    return instance.pk if existing and instance is not None else MISSING_ID


def client_for(role: str, world: World, *, api: bool):  # type: ignore[no-untyped-def]
    if api:
        client = APIClient(raise_request_exception=False)
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        return client
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def send(client, method: str, url: str, *, api: bool, csrf: bool = True) -> Answer:  # type: ignore[no-untyped-def]
    """Send the request inside a savepoint that is rolled back: the world never changes."""
    extra = {"HTTP_X_CSRFTOKEN": CSRF_SECRET} if csrf and not api else {}
    cookies = client.cookies.copy()
    if any(part in url for part in THROTTLED):
        cache.clear()  # the public checks are rate-limited; each request starts afresh
    with transaction.atomic():
        before = AuditEvent.objects.filter(verb=REFUSED_VERB).count()
        call = getattr(client, method.lower())
        response = call(url, {}, format="json", **extra) if api else call(url, **extra)
        audited = AuditEvent.objects.filter(verb=REFUSED_VERB).count() > before
        transaction.set_rollback(True)
    client.cookies = cookies  # a sign-out rolled back must not sign the client out
    body = b"" if getattr(response, "streaming", False) else response.content
    return Answer(response.status_code, classify(response), body, audited)


@dataclass(frozen=True)
class Planned:
    method: str
    shape: str
    params: tuple[str, ...]
    api: bool

    @property
    def key(self) -> str:
        return f"{self.method} {self.shape}"


def planned_requests() -> list[Planned]:
    """GET and POST for every URL pattern; every published method for each API operation."""
    planned: dict[str, Planned] = {}
    for route in url_routes():
        if route.shape.startswith(API_PREFIX) and route.shape not in API_OUTSIDE_SCHEMA:
            continue  # covered operation by operation from the OpenAPI schema below
        for method in ("GET", "POST"):
            entry = Planned(method, route.shape, route.params, route.shape.startswith("api/"))
            planned.setdefault(entry.key, entry)
    for method, path in api_operations():
        shape = PLACEHOLDER.sub("{}", path.lstrip("/"))
        params = tuple(a or b or c for a, b, c in PLACEHOLDER.findall(path))
        entry = Planned(method, shape, params, True)
        planned.setdefault(entry.key, entry)
    return list(planned.values())


def api_shapes() -> set[str]:
    return {PLACEHOLDER.sub("{}", path.lstrip("/")) for _method, path in api_operations()}


def run_matrix(world: World, planned: list[Planned]) -> dict[tuple[str, str], list[Answer]]:
    """{(request key, object variant): [answer per role in ROLES order]}."""
    clients = {(role, api): client_for(role, world, api=api) for role in ROLES for api in (0, 1)}
    answers = {}
    for entry in planned:
        for variant in variants(entry.shape, entry.params):
            url = url_for(entry.shape, entry.params, variant, world)
            answers[(entry.key, variant)] = [
                send(clients[(role, entry.api)], entry.method, url, api=entry.api) for role in ROLES
            ]
    return answers
