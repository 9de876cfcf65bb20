"""A local server speaking Nominatim's /search protocol, so geocoding tests never touch the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FAILING_QUERY = "boom"  # answered with HTTP 500, as a provider having a bad day


class FakeNominatim(BaseHTTPRequestHandler):
    """Answer /search from `places` (exact query, or any query containing the key when `substring`)."""

    places: dict[str, tuple] = {}  # query -> (lat, lng) or (lat, lng, display name)
    substring = False
    queries: list[str] = []
    observe = None  # called with each query, in the server's thread, before answering

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).queries.append(query)
        if self.observe is not None:
            self.observe(query)
        if url.path != "/search":
            self.send_error(404)
            return
        if query == FAILING_QUERY:
            self.send_error(500)
            return
        hits = []
        for key, place in self.places.items():
            if (key in query) if self.substring else (key == query):
                lat, lng, *name = place
                hits = [{"lat": str(lat), "lon": str(lng), "display_name": name[0] if name else query, "place_id": 1}]
                break
        body = json.dumps(hits).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def start(
    places: dict[str, tuple], *, substring: bool = False, observe=None
) -> tuple[ThreadingHTTPServer, type[FakeNominatim]]:
    """Serve these places on a free local port; return the server and its handler (with `.queries`)."""
    handler = type(
        "Handler",
        (FakeNominatim,),
        {
            "places": places,
            "substring": substring,
            "queries": [],
            "observe": staticmethod(observe) if observe else None,
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


def geocoder_settings(server: ThreadingHTTPServer, *, timeout: int = 2) -> dict:
    """WAYSTATION_GEOCODER pointing at the fake, without rate limiting."""
    return {
        "provider": "nominatim",
        "options": {"domain": f"127.0.0.1:{server.server_port}", "scheme": "http", "user_agent": "waystation-tests"},
        "crs": "wgs84",
        "min_delay_seconds": 0,
        "error_wait_seconds": 0,
        "timeout": timeout,
        "cache_seconds": 60,
    }
