"""Enumerate what the matrix must cover: every URL pattern and every API operation."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

API_PREFIX = "api/v1/"
PLACEHOLDER = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>|\{(\w+)\}")
FORMAT_SUFFIX = ("(?P<format>", "<drf_format_suffix:format>")


@dataclass(frozen=True)
class Route:
    pattern: str  # the pattern as the resolver spells it, e.g. "portal/cases/<int:pk>/"
    name: str  # "namespace:name", or "" for an unnamed pattern
    params: tuple[str, ...]

    @property
    def shape(self) -> str:
        """The pattern with regex anchors dropped and every parameter written `{}`."""
        return PLACEHOLDER.sub("{}", self.pattern.replace("^", "").replace("$", ""))


def url_routes() -> list[Route]:
    """Every URL pattern, except DRF's `.json`-style suffix twins of a listed route."""
    found = []
    for pattern, name in _walk(get_resolver(), "", ""):
        if any(marker in pattern for marker in FORMAT_SUFFIX):
            continue
        params = tuple(a or b or c for a, b, c in PLACEHOLDER.findall(pattern))
        found.append(Route(pattern, name, params))
    return found


def _walk(resolver: URLResolver, prefix: str, namespace: str):  # type: ignore[no-untyped-def]
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield prefix + str(entry.pattern), name


def api_operations() -> list[tuple[str, str]]:
    """Every (METHOD, path) the OpenAPI schema publishes, e.g. ("POST", "/api/v1/cases/{id}/")."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method != "parameters"
    ]
