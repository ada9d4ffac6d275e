"""Streamlit pages: UI only. They call tested functions through the cached readers in
``dashboard`` and render untrusted text (tweets, names, bios) as plain text only."""
