"""The minimal dashboard starts cleanly and shows ingestion health from a known database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ingest.files import import_files
from store.db import make_engine
from tests.conftest import ROOT, realdata


@pytest.fixture
def loaded_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    engine = make_engine(url)
    import_files(engine, None, [realdata("twcs-kaggle-sample/sample.csv")], log=lambda m: None)
    engine.dispose()
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    return url


def test_health_page_shows_the_counts(loaded_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tweets"] == "93"
    assert metrics["Users"] == "50"
    assert metrics["Rejected records"] == "0"
    # The sample is from 2017: the channel has been quiet for the whole window, and says so.
    assert any("No tweets arrived in the last 30 days" in e.value for e in at.error)


def test_empty_database_starts_cleanly(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAMPIONS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert any("No tweets yet" in i.value for i in at.info)
