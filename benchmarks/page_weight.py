"""First-load weight of the map page: every JS and CSS file it pulls in, raw and gzipped.

    python -m benchmarks.page_weight

The budget is 300 KB of JS+CSS (gzip) on first load, tiles excluded. ES modules are
followed through their static imports, and the JavaScript catalogue (/jsi18n/) counts
as JS. Figures are printed, not asserted.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

from .common import bench_client, setup_django

BUDGET_GZIP = 300 * 1024
_IMPORT = re.compile(r"""(?:^|\n)\s*import\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)""")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.styles.append(a["href"])


def _static_file(url: str) -> Path:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    found = finders.find(url.removeprefix(prefix))
    if not found:
        raise SystemExit(f"{url} is not a static file we serve")
    return Path(found)


def _module_graph(url: str, seen: dict[str, bytes]) -> None:
    """Collect an ES module and everything it imports statically, by URL."""
    if url in seen:
        return
    body = _static_file(url).read_bytes()
    seen[url] = body
    base = url.rsplit("/", 1)[0]
    for match in _IMPORT.finditer(body.decode("utf-8")):
        target = match.group(1) or match.group(2)
        if target.startswith("./"):
            _module_graph(f"{base}/{target[2:]}", seen)


def measure(language: str) -> list[tuple[str, str, int, int]]:
    client = bench_client(language)
    response = client.get("/")
    assert response.status_code == 200, response.status_code
    parser = _Assets()
    parser.feed(response.content.decode())
    rows: list[tuple[str, str, int, int]] = []
    html = response.content
    rows.append(("html", "/ (the page itself)", len(html), len(gzip.compress(html, 9))))
    for href in parser.styles:
        body = _static_file(href).read_bytes()
        rows.append(("css", href, len(body), len(gzip.compress(body, 9))))
    for src in parser.scripts:
        if not src.startswith("/static/"):
            body = client.get(src).content  # the JavaScript catalogue, rendered per language
            rows.append(("js", src, len(body), len(gzip.compress(body, 9))))
            continue
        modules: dict[str, bytes] = {}
        _module_graph(src, modules)
        for url, body in modules.items():
            rows.append(("js", url, len(body), len(gzip.compress(body, 9))))
    return rows


def main() -> None:
    setup_django()
    for language in ("zh-hans", "en"):
        rows = measure(language)
        print(f"\nMap page first load, Accept-Language: {language}")
        print(f"{'kind':<5} {'asset':<44} {'raw B':>9} {'gzip B':>9}")
        for kind, url, raw, packed in rows:
            print(f"{kind:<5} {url:<44} {raw:>9,} {packed:>9,}")
        assets = [r for r in rows if r[0] in ("js", "css")]
        raw = sum(r[2] for r in assets)
        packed = sum(r[3] for r in assets)
        print(f"{'JS+CSS total':<50} {raw:>9,} {packed:>9,}")
        share = packed / BUDGET_GZIP
        print(f"budget 300 KB gzip: {packed / 1024:.1f} KB used ({share:.0%}); requests: {len(rows)} (tiles excluded)")


if __name__ == "__main__":
    main()
