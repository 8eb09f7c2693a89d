"""Build the specification's files from the library (what ``spec/files/`` and ``docs/spec/`` hold).

``python -m gridgov.spec._build [FOLDER ...]`` writes them (default: the package's own
``files/`` folder and the repository's ``docs/spec/``); ``tests/spec/test_spec.py`` checks that
both are identical to what this module builds, so the files cannot drift from the code.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from gridgov.io.jsonld import SHAPES, context
from gridgov.io.popolo import SPEC_VERSION
from gridgov.io.schema import structure_schema
from gridgov.org.vocab import (
    AgreementCategory,
    AgreementStatus,
    AreaLevel,
    BilingualEnum,
    MemberService,
    MemberStatus,
    OrgKind,
    PostKind,
    Sector,
)

__all__ = ["SCHEMA_ID", "build", "codelists", "write"]

#: The versioned ``$id`` of the structure schema in the specification.
SCHEMA_ID = f"urn:gridgov:spec:{SPEC_VERSION}:structure"

_ENUMS: dict[str, type[BilingualEnum]] = {
    "area_levels": AreaLevel,
    "sectors": Sector,
    "organisation_kinds": OrgKind,
    "post_kinds": PostKind,
    "party_member_status": MemberStatus,
    "party_member_service": MemberService,
    "agreement_statuses": AgreementStatus,
    "agreement_categories": AgreementCategory,
}
_TEMPLATES = Path(__file__).resolve().parents[1] / "service" / "templates"
_CHANGELOG = Path(__file__).with_name("CHANGELOG.md")


def codelists() -> dict[str, list[dict[str, str]]]:
    """Every code list: name → rows with ``code``, ``label_en``, ``label_zh`` (and more)."""
    out: dict[str, list[dict[str, str]]] = {
        name: [{"code": m.value, "label_en": m.label_en, "label_zh": m.label_zh} for m in enum]
        for name, enum in _ENUMS.items()
    }
    templates: list[dict[str, str]] = []
    activities: list[dict[str, str]] = []
    for path in sorted(_TEMPLATES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        name = str(data["name"])
        templates.append(
            {"code": name, "label_en": str(data["label"]), "label_zh": str(data["label_zh"])}
        )
        seen: set[str] = set()
        for t in data.get("transitions", []):
            if t["activity"] in seen:
                continue
            seen.add(t["activity"])
            activities.append(
                {
                    "template": name,
                    "code": str(t["activity"]),
                    "label_en": str(t.get("label", t["activity"])),
                    "label_zh": str(t.get("label_zh", "")),
                }
            )
    out["case_templates"] = templates
    out["case_activities"] = activities
    return out


def _csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build() -> dict[str, str]:
    """The specification's files: relative path → text."""
    schema: dict[str, Any] = structure_schema()
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"gridgov structure, specification {SPEC_VERSION}"
    files = {
        "VERSION": SPEC_VERSION + "\n",
        "CHANGELOG.md": _CHANGELOG.read_text(encoding="utf-8"),
        "structure.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
        "context.jsonld": json.dumps({"@context": context()}, indent=2) + "\n",
        "shapes.ttl": SHAPES,
    }
    lists = codelists()
    files["codelists/codelists.json"] = (
        json.dumps({"version": SPEC_VERSION, **lists}, ensure_ascii=False, indent=2) + "\n"
    )
    for name, rows in lists.items():
        files[f"codelists/{name}.csv"] = _csv(rows)
    return files


def write(folder: Path) -> None:
    """Write :func:`build`'s files under ``folder``."""
    for rel, text in build().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    targets = [Path(a) for a in sys.argv[1:]] or [
        Path(__file__).with_name("files"),
        Path(__file__).resolve().parents[3] / "docs" / "spec",
    ]
    for target in targets:
        write(target)
