"""Read the checked-in permission policy (tests/security/policy/*.txt) into a lookup table."""

from pathlib import Path

from tests.security.world import ROLES

POLICY_DIR = Path(__file__).parent / "policy"
ANSWERS = {"ok", "login", "401", "403", "404", "405"}


def load_policy() -> dict[str, list[list[str]]]:
    """{"METHOD path": [per role: [answer per object variant]]}; a line is checked as it is read."""
    policy: dict[str, list[list[str]]] = {}
    for source in sorted(POLICY_DIR.glob("*.txt")):
        for number, line in enumerate(source.read_text().splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            method, path, *cells = line.split()
            where = f"{source.name}:{number}"
            assert len(cells) == len(ROLES), f"{where}: {len(ROLES)} answers expected"
            key = f"{method} {path}"
            assert key not in policy, f"{where}: {key} is listed twice"
            policy[key] = [cell.split("|") for cell in cells]
            unknown = {answer for cell in policy[key] for answer in cell} - ANSWERS
            assert not unknown, f"{where}: unknown answers {unknown}"
    return policy


def expected(cell: list[str], variant_index: int) -> str:
    """A cell names one answer for every object, or one per object variant."""
    return cell[0] if len(cell) == 1 else cell[variant_index]


def areas() -> list[str]:
    """The policy's areas, one file each: portal, api, admin, admin-casework, public."""
    return sorted(source.stem for source in POLICY_DIR.glob("*.txt"))


def keys_of(area: str) -> set[str]:
    """The "METHOD path" keys the area's policy file lists."""
    lines = (POLICY_DIR / f"{area}.txt").read_text().splitlines()
    return {" ".join(line.split()[:2]) for line in lines if line.strip() and line[0] != "#"}
