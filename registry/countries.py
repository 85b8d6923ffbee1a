"""Country names for people: the ISO code is for machines, a page or a chart shows the name."""

from django_countries import countries


def country_name(code: str) -> str:
    """The country's name in the active language (django-countries); the code if unknown."""
    return str(countries.name(code or "")) or code
