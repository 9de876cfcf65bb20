"""Fill empty zh-Hans translations from a JSON file of {msgid: msgstr}, then compile.

Usage: python scripts/po_fill.py translations.json [locale/zh_Hans/LC_MESSAGES/django.po]
Existing translations are kept; entries left empty are listed so nothing slips through.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main() -> int:
    mapping = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    path = sys.argv[2] if len(sys.argv) > 2 else "locale/zh_Hans/LC_MESSAGES/django.po"
    po = polib.pofile(path)
    for entry in po:
        if entry.msgid in mapping and (not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(path)
    po.save_as_mofile(str(Path(path).with_suffix(".mo")))
    missing = [e.msgid for e in po.untranslated_entries()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
