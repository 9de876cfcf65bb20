"""Set up Django for a benchmark run outside the test runner."""

from __future__ import annotations

import os


def setup(database_url: str) -> None:
    """Point Django at `database_url`, set it up and bring the schema up to date."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # benchmarks run locally; no secret key needed
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def client(language: str = "zh-hans"):
    from django.test import Client

    # A host the debug settings allow, and the language the rider's browser asks for.
    return Client(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE=language)
