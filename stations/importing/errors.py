"""Problems that stop a whole file (as opposed to row errors, which the report lists)."""

from __future__ import annotations


class FileProblem(Exception):
    """The file cannot be imported at all: unreadable, wrong encoding, missing columns."""
