"""Counted nouns for the interface: "1 entity", "2 entities", "19,784 documents"."""

from __future__ import annotations

_PLURALS = {"entity": "entities", "this": "these", "was": "were", "match": "matches", "is": "are"}


def plural(count: int, noun: str) -> str:
    """``noun`` for ``count`` of it (irregular plurals from a small table, else + "s")."""
    if count == 1:
        return noun
    return _PLURALS.get(noun, noun + "s")


def count(number: int, noun: str) -> str:
    """"1 entity", "37 entities", "19,784 documents": thousands separated."""
    return f"{number:,} {plural(number, noun)}"


def ratio(done: int, total: int) -> str:
    """"37 / 19,784" (progress and positions)."""
    return f"{done:,} / {total:,}"
