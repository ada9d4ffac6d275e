"""Champion Tracker dashboard: ``streamlit run app.py``."""

import streamlit as st

from settings import database_url

st.set_page_config(page_title="Champion Tracker", layout="wide")

pages = [st.Page("pages/health.py", title="Ingestion health", default=True)]
nav = st.navigation(pages)
st.sidebar.caption("Running locally on the embedded database, without sign-in.")
st.sidebar.text(f"Database: {database_url().split('://', 1)[0]}")
nav.run()
