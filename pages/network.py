"""Network: the top helpers and the support handles, coloured by community; or one person's
ego network."""

import streamlit as st

from dashboard.common import current_url, ranking_run_or_stop, require_access
from dashboard.network_view import draw_network, network

require_access()
st.title("Network")
url = current_url()
run = ranking_run_or_stop(url)
top = st.slider("How many of the best-ranked people to include", 10, 200, 50, step=10,
                key="net_top", help="People with no link to anyone else shown are left out; "
                "the caption under the drawing gives the counts.")
center = st.text_input("Centre on a username (ego view); empty for the top helpers",
                       key="net_center").strip() or None
draw_network(network(url, run["id"], top, center))
