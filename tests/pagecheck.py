"""Read a page in Chinese as a person would, and fail on English or code leaking through.

`assert_reads_in_chinese(client, url)` fetches the page with zh-hans, takes its visible
text (elements marked with another `lang`, scripts and styles left out) and fails when
- an English msgid of the catalogue that has a Chinese translation appears in it
  (an untranslated fallback: the template or code forgot to mark the string), or
- a snake_case code, a Python repr ("{'", "<QuerySet") or "None" appears in it.
Data that is English by nature (names of enterprises, brands, workshops) is passed as
`data` and removed before the check. Technical terms Chinese writes as they are (`TERMS`)
and abbreviations glossed in full-width brackets after their Chinese name (车辆识别代号（VIN）)
are not fallbacks.
"""

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

HIDDEN = {"script", "style", "template"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
CODE_PATTERNS = {
    "snake_case code": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "Python dict": re.compile(r"\{'"),
    "QuerySet repr": re.compile(r"<QuerySet"),
    "None": re.compile(r"\bNone\b"),
}
PLACEHOLDER = re.compile(r"%[(\w]|\{")
# Msgids whose Chinese is the English itself, each with the reason it stays as written.
TERMS = {
    "SHA-256": "the name of the hash algorithm; Chinese technical writing keeps it as is",
}
GLOSS = re.compile(r"（[A-Za-z0-9][A-Za-z0-9 .-]*）")
ZH_HTML = re.compile(r'<html lang="zh-hans"[\s>]')


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content hidden?
        self.tags: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = dict(attrs).get("lang") or ""
        hidden = tag in HIDDEN or bool(lang and not lang.startswith("zh") and tag != "html")
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags:
            while self.tags and self.tags.pop() != tag:
                self.stack.pop()
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees (and a screen reader reads) on the page."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@cache
def translated_msgids() -> tuple[str, ...]:
    """English msgids with a Chinese translation, placeholders and tiny words left out."""
    path = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    found = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or not any(strings):
            continue
        found.update(i for i in ids if len(i) >= 3 and not PLACEHOLDER.search(i))
    return tuple(sorted(found - TERMS.keys(), key=len, reverse=True))


def problems_in(text: str, data: Iterable[str] = ()) -> list[str]:
    """Every English fallback and code-like fragment in the text."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    prose = GLOSS.sub(" ", text)
    found = []
    for msgid in translated_msgids():
        pattern = r"(?<![A-Za-z0-9_])" + re.escape(msgid) + r"(?![A-Za-z0-9_])"
        if re.search(pattern, prose):
            found.append(f"untranslated: {msgid!r}")
    for name, pattern in CODE_PATTERNS.items():
        found.extend(f"{name}: {match!r}" for match in pattern.findall(text))
    return found


def assert_reads_in_chinese(client, url: str, data: Iterable[str] = (), status: int = 200) -> str:  # type: ignore[no-untyped-def]
    """Fetch the page in zh-hans and fail on any English fallback or leaked code."""
    response = client.get(url, headers={"accept-language": "zh-hans"})
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    assert ZH_HTML.search(html), f"{url} was not rendered in Chinese"
    text = visible_text(html)
    problems = problems_in(text, data)
    assert problems == [], f"{url}: {problems} in {text!r}"
    return text
