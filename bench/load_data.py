"""What the load test sends: evidence PDFs, VINs and declaration numbers, usable licences.

Plain Python (no Django): the load test's users run in a gevent process of their own.
"""

import itertools
import random
from dataclasses import dataclass

# ISO 3779 check digit: letters transliterated to numbers, weighted by position.
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_with_check_digit(body: str) -> str:
    """Complete a 17-character VIN (position 9 anything) with its ISO 3779 check digit."""
    total = sum(TRANSLITERATION[c] * w for c, w in zip(body, WEIGHTS, strict=True))
    digit = total % 11
    return body[:8] + ("X" if digit == 10 else str(digit)) + body[9:]


class RunNumbers:
    """VINs and declaration numbers no earlier run of this process handed out."""

    def __init__(self, seed: int | None = None) -> None:
        rng = random.Random(seed)
        # Positions 4-8 of every VIN of this run: five characters the seeded world never uses
        # together with the serial range below.
        self.vds = "".join(rng.choice(VIN_ALPHABET[10:]) for _ in range(5))
        self.run = rng.randrange(10**6)
        self.vin_serial = itertools.count(1)
        self.declaration_serial = itertools.count(1)

    def vin(self) -> str:
        """A Chinese-WMI VIN with a correct check digit, new in this run."""
        serial = next(self.vin_serial)
        return vin_with_check_digit(f"LJR{self.vds}0TL{serial:06d}")

    def declaration_number(self) -> str:
        """An 18-digit customs declaration number, new in this run (seeded ones start 2200)."""
        return f"9{self.run:06d}{next(self.declaration_serial):011d}"


def evidence_pdf(title: str) -> bytes:
    """A small but genuine one-page PDF (objects, cross-reference table, trailer)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:60]
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@dataclass
class UsableLine:
    licence: int
    vehicle_model: int
    declared_on: str
    uses_left: int
    remaining: int


class LicencePool:
    """The seeded active licences' lines, handed out one vehicle and one use at a time.

    Locust users are greenlets of one process and `take` does not yield, so two users never
    draw on the same last use: a refusal for want of uses would be the bench's fault.
    """

    def __init__(self) -> None:
        self.lines: list[UsableLine] | None = None
        self.taken = 0

    def load(self, licences: list[dict]) -> None:
        """Keep one line of every active licence with uses and vehicles left."""
        self.lines = [
            UsableLine(
                licence["id"],
                line["vehicle_model"],
                licence["valid_from"],
                licence["uses_left"],
                line["remaining"],
            )
            for licence in licences
            if licence["status"] == "active" and licence["uses_left"] > 0
            for line in licence["lines"][:1]
            if line["remaining"] > 0
        ]

    def take(self) -> UsableLine | None:
        """One use of a licence with a vehicle left, or None once the seeded ones run out."""
        for line in self.lines or []:
            if line.uses_left > 0 and line.remaining > 0:
                line.uses_left -= 1
                line.remaining -= 1
                self.taken += 1
                return line
        return None
