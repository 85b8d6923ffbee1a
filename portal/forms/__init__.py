"""Portal forms, one module per area: they only parse input; the services decide what is allowed."""

from portal.forms.cases import RespondForm

__all__ = ["RespondForm"]
