"""What the Streamlit pages share: cached readers over the tested ``graph``, ``ingest``,
``outreach`` and ``store`` functions, access control, and the drawing helpers. Kept out of
``pages/`` so that no helper module is ever listed or served as a page."""
