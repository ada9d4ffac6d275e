"""The dashboard's cached readers: one engine per database URL, short-lived cached queries."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ingest.status import collect_status
from settings import database_url
from store.db import make_engine


@st.cache_resource
def engine(url: str):
    return make_engine(url)


def current_url() -> str:
    return database_url()


@st.cache_data(ttl=30, show_spinner=False)
def ingest_status(url: str, days: int) -> dict[str, Any]:
    return collect_status(engine(url), days=days)
