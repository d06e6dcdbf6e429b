"""Where explorer keeps things: the bundled seeds, per-corpus stores, the notes file, the user's keymap.

``EXPLORER_DATA_DIR`` and ``EXPLORER_CONFIG_DIR`` override the user data and configuration folders (tests use them so they
never touch the developer's real data).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

APP_NAME = "explorer"


def seeds_dir() -> Path:
    """The bundled sample corpus: ``seeds/`` of the checkout, or the copy installed with the package."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "seeds", package / "seeds"):
        if candidate.is_dir():
            return candidate
    return package / "seeds"


def data_dir() -> Path:
    override = os.environ.get("EXPLORER_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def corpus_key(corpus: Path) -> str:
    """A stable, readable key for a corpus folder: its name plus a hash of its absolute path."""
    absolute = corpus.expanduser().resolve()
    digest = hashlib.sha1(str(absolute).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in absolute.name)[:40] or "corpus"
    return f"{stem}-{digest}"


def default_store_path(corpus: Path) -> Path:
    """The store of a corpus under the user's data directory, keyed by its absolute path."""
    return data_dir() / "stores" / f"{corpus_key(corpus)}.json"


def default_notes_path() -> Path:
    return data_dir() / "notes.md"


def config_dir() -> Path:
    """The user's configuration folder (keymap, settings); ``EXPLORER_CONFIG_DIR`` overrides it."""
    override = os.environ.get("EXPLORER_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def keymap_path() -> Path:
    """The user's keymap: ``keymap.toml`` in the configuration folder (see README, "Keys")."""
    return config_dir() / "keymap.toml"


def settings_path() -> Path:
    """What the interface remembers between runs (the theme): ``settings.json`` in the configuration folder."""
    return config_dir() / "settings.json"


def last_opened_path() -> Path:
    """The record of the corpus the interface opened last (``explorer search`` falls back to it)."""
    return data_dir() / "last-opened.json"
