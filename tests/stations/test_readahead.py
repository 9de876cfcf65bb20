"""The import's read-ahead thread: order, errors, early stops and the caller's language."""

from __future__ import annotations

import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext

from stations.importing.readahead import read_ahead


def test_items_arrive_in_order_from_another_thread():
    threads = []

    def produce():
        for i in range(50):
            threads.append(threading.current_thread())
            yield i

    assert list(read_ahead(produce, depth=2)) == list(range(50))
    assert {t.name for t in threads} == {"import-reader"}


def test_an_error_in_the_worker_is_raised_to_the_caller_after_the_items_before_it():
    def produce():
        yield 1
        yield 2
        raise ValueError("row 3 is unreadable")

    seen = []
    with pytest.raises(ValueError, match="row 3 is unreadable"):
        for item in read_ahead(produce):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_stops_the_worker_and_closes_its_generator():
    closed = threading.Event()
    produced = []

    def produce():
        try:
            for i in range(10_000):
                produced.append(i)
                yield i
        finally:
            closed.set()

    items = read_ahead(produce, depth=2)
    assert next(items) == 0
    items.close()

    assert closed.is_set()  # close() waited for the worker, which closed the generator
    assert len(produced) <= 4  # bounded: the queue holds at most `depth` items ahead
    assert not any(t.name == "import-reader" for t in threading.enumerate())


def test_the_worker_speaks_the_callers_language():
    def produce():
        yield translation.get_language(), gettext("This column is required.")

    with translation.override("en"):
        assert list(read_ahead(produce)) == [("en", "This column is required.")]
    with translation.override("zh-hans"):
        [(language, message)] = list(read_ahead(produce))
    assert language == "zh-hans" and message != "This column is required."
