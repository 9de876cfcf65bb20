"""Run a generator one step ahead in a worker thread.

An import alternates between Python work (decoding and validating a chunk of rows) and
waiting for the database (writing the previous chunk). Reading ahead in a thread lets the
two overlap: the database driver releases the GIL while it waits, and the database server
is another process. The queue is bounded, so memory stays flat however long the file is.

The worker touches no database connection: Django's connections belong to the thread that
opened them, and the import's transaction stays in the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.utils import translation

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(produce: Callable[[], Iterator[T]], *, depth: int = 2, name: str = "import-reader") -> Iterator[T]:
    """Yield what `produce()` yields, computing up to `depth` items ahead in a worker thread.

    An exception in the worker is raised here, at the item where it happened. If the caller
    stops early (an exception of its own, or closing the generator), the worker is told to
    stop and is waited for before this generator returns.
    """
    items: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    language = translation.get_language()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        # Messages made in the worker (row errors) use the caller's language, as they would inline.
        with translation.override(language):
            produced = produce()
            try:
                for item in produced:
                    if not offer(item):
                        return
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who re-raises it
                offer(_Failed(exc))
                return
            finally:
                close = getattr(produced, "close", None)
                if close is not None:
                    close()  # e.g. detach the file reader now, in this thread
            offer(_DONE)

    worker = threading.Thread(target=work, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
