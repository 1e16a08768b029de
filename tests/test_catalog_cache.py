"""The shipped content's parsed files are kept between runs: an unchanged file is not parsed
again, a changed one is, and a damaged or missing cache only costs the parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from invert.catalog import loader
from invert.catalog.toml import TABLES, kept_tables, read_toml


def read(folder: Path, cache: Path) -> tuple[list[dict], int]:
    problems: list[str] = []
    with kept_tables(cache):
        tables = [read_toml(path, problems) for path in sorted(folder.glob("*.toml"))]
        parsed = TABLES.parsed
    assert problems == []
    return tables, parsed


def test_an_unchanged_file_is_read_from_the_cache_and_a_changed_one_parsed(tmp_path: Path) -> None:
    folder, cache = tmp_path / "content", tmp_path / "cache" / "tables.pickle"
    folder.mkdir()
    (folder / "a.toml").write_text('id = "a"\nwords = ["one", "two"]\n')
    (folder / "b.toml").write_text('id = "b"\n')
    first, parsed = read(folder, cache)
    assert parsed == 2 and cache.is_file()
    again, parsed = read(folder, cache)
    assert parsed == 0 and again == first
    again[0]["words"].append("changed by a caller")  # each read hands out its own copy
    assert read(folder, cache)[0][0]["words"] == ["one", "two"]
    (folder / "b.toml").write_text('id = "b, edited"\n')
    later, parsed = read(folder, cache)
    assert parsed == 1 and later[1] == {"id": "b, edited"}


def test_a_damaged_cache_is_parsed_past_and_replaced(tmp_path: Path) -> None:
    folder, cache = tmp_path / "content", tmp_path / "tables.pickle"
    folder.mkdir()
    (folder / "a.toml").write_text('id = "a"\n')
    cache.write_bytes(b"not a pickle at all")
    tables, parsed = read(folder, cache)
    assert parsed == 1 and tables == [{"id": "a"}]
    assert read(folder, cache)[1] == 0  # rewritten whole


def test_the_shipped_catalogue_loads_from_its_cache_the_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(loader, "_cache", {})
    first = loader.load_catalog(loader.CONTENT_DIR)
    cached = loader.tables_cache(loader.CONTENT_DIR)
    assert cached.is_file() and cached.parent == tmp_path / "invert"
    monkeypatch.setattr(loader, "_cache", {})
    assert TABLES.parsed > 100  # every file of the first load was parsed
    second = loader.load_catalog(loader.CONTENT_DIR)
    assert TABLES.parsed == 0 and second == first
    assert os.stat(cached).st_size > 0
