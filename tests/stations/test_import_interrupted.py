"""A killed import leaves the database exactly as it was — with a real process and SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .importing_support import csv_bytes, row

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_database(tmp_path):
    """A database of its own (same engine as the suite's), migrated by a real manage.py."""
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        yield url, lambda: sqlite3.connect(tmp_path / "scratch.sqlite3")
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_kill"[:60]
    host, port, user = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or "5432", settings["USER"]
    base_dsn = f"host={host} port={port} user={user}"
    admin_dsn = f"{base_dsn} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{user}@{host}:{port}/{name}", lambda: psycopg.connect(f"{base_dsn} dbname={name}")
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url: str, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DJANGO_DEBUG", None)
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **popen)


def table(connect) -> list[tuple]:
    db = connect()
    try:
        cursor = db.cursor()
        cursor.execute(
            "SELECT store_code, name, lat, lng, status, updated_at FROM stations_station ORDER BY store_code"
        )
        stations = cursor.fetchall()
        cursor.execute("SELECT station_id, snapshot FROM stations_stationimportstate ORDER BY station_id")
        states = cursor.fetchall()
        # The history too: it holds each new station's creation record (and import snapshot).
        cursor.execute(
            "SELECT id, history_type, history_change_reason, name, source FROM stations_historicalstation "
            "ORDER BY history_id"
        )
        return [*stations, *states, *cursor.fetchall()]
    finally:
        db.close()


def test_sigkill_mid_import_leaves_the_database_exactly_as_it_was(scratch_database, tmp_path):
    url, connect = scratch_database
    assert manage(url, "migrate", "-v0").wait(timeout=120) == 0
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes([row(f"A{i:05d}") for i in range(300)]))
    assert manage(url, "import_stations", str(first), "--operator=fm", "--create-operator=全家").wait(timeout=60) == 0
    before = table(connect)
    assert len(before) == 600  # 300 stations and their 300 creation records

    # Every existing row changes and 40,000 new ones follow: the kill lands after writes began.
    big = tmp_path / "big.csv"
    big.write_bytes(
        csv_bytes([row(f"A{i:05d}", name="改名") for i in range(300)] + [row(f"N{i:05d}") for i in range(40_000)])
    )
    process = manage(
        url, "import_stations", str(big), "--operator=fm", "-v", "2", stdout=subprocess.PIPE, text=True, bufsize=1
    )
    progress = process.stdout.readline()  # the first chunk was read, diffed and written
    assert "2000" in progress, progress
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert table(connect) == before
    db = connect()
    try:
        cursor = db.cursor()
        cursor.execute("SELECT status FROM stations_importrun ORDER BY id")
        assert [s for (s,) in cursor.fetchall()] == ["succeeded", "running"]  # the record says it never finished
    finally:
        db.close()
