"""Response times (graph/response.py): a hand-built set of threads with the times worked out by
hand (both backends), and the real TWCS head checked against an independent computation
straight from the CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import orjson
import pytest

from graph import response
from graph.classify import classify_tweets
from graph.rank import run_ranking
from graph.roles import RoleMatcher
from ingest.files import import_files
from settings import Settings
from store.accounts import set_account_label
from tests.conftest import ROOT, realdata, scalar

END = datetime(2026, 10, 31, 12, 0)
ROOT_TOML = ROOT / "champions.toml"
USERS = {1: "AcmeHelp", 2: "AcmeAyuda", 10: "champ", 11: "helper", 12: "sam_support",
         13: "kim_agent", 20: "cust_a", 21: "cust_b", 22: "cust_c", 23: "cust_d", 24: "cust_e",
         25: "cust_f", 26: "cust_g", 27: "cust_h", 28: "cust_i", 29: "cust_j"}
SETTINGS = Settings(support_handles=("AcmeHelp", "AcmeAyuda"), staff_handles=("kim_agent",),
                    fix_domains=("help.acme.example",))


def tw(tid: int, author: int, body: str, at: str, *, reply_to: int | None = None,
       lang: str = "en") -> dict:
    """A v2 tweet at ``at`` ("MM-DD HH:MM" in 2026); mentions are read from the text."""
    when = datetime.strptime(f"2026-{at}", "%Y-%m-%d %H:%M")
    ids = {n.lower(): i for i, n in USERS.items()}
    t = {"id": str(tid), "author_id": str(author), "text": body, "lang": lang,
         "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
         "entities": {"mentions": [{"username": USERS[ids[m.lower()]], "id": str(ids[m.lower()])}
                                   for m in re.findall(r"@(\w+)", body)]}}
    if reply_to is not None:
        parent = next(x for x in THREADS if x["id"] == str(reply_to))
        t["referenced_tweets"] = [{"type": "replied_to", "id": str(reply_to)}]
        t["in_reply_to_user_id"] = parent["author_id"]
    return t


THREADS: list[dict] = []


def _add(*args, **kwargs) -> None:
    THREADS.append(tw(*args, **kwargs))


# R1 (en, @AcmeHelp, week 43). Request at 10:00, community answer (helper, not a champion)
# at 10:12, staff answer at 11:30 with an agent's sign-off thanks ("-Thanks-Anwar": a staff
# answer all the same). Community first, by 78 minutes: staff 90 min, community 12 min.
# The asker's "thanks, sorted now!" to the brand is no request.
_add(100, 20, "@AcmeHelp my router keeps dropping wifi, any fix?", "10-23 10:00")
_add(101, 11, "@cust_a try holding the reset button for 10 seconds", "10-23 10:12",
     reply_to=100)
_add(102, 1, "@cust_a Sorry about that! Please DM us your serial number. -Thanks-Anwar",
     "10-23 11:30", reply_to=100)
_add(103, 20, "@AcmeHelp thanks, sorted now!", "10-23 11:40", reply_to=102)
# R2 (en, @AcmeHelp, week 43). Request 14:00, staff 14:20, champion 14:45: staff first
# (staff 20 min, community 45 min).
_add(110, 21, "@AcmeHelp my phone will not charge anymore, what can I do?", "10-23 14:00")
_add(111, 1, "@cust_b have you tried restarting it? ^JK", "10-23 14:20", reply_to=110)
_add(112, 10, "@cust_b unplug it for 30 seconds then plug it back in", "10-23 14:45",
     reply_to=110)
# R3 (en, @AcmeHelp, week 44). Request 09:00, champion 09:05 (thanked 09:30), staff 10:05:
# champion first, 60 minutes before staff (staff 65 min, community 5 min).
_add(120, 22, "@AcmeHelp the app crashes when I open it, help?", "10-27 09:00")
_add(121, 10, "@cust_c clear the app cache in settings and reinstall", "10-27 09:05",
     reply_to=120)
_add(122, 22, "@champ thanks, that worked!", "10-27 09:30", reply_to=121)
_add(123, 1, "@cust_c Hi there, could you DM us? ^JK", "10-27 10:05", reply_to=120)
# R4 (es, @AcmeAyuda, week 44). Request 14:00, champion 14:30 (thanked), staff never:
# champion first, counted apart from the hours (community 30 min).
_add(130, 23, "@AcmeAyuda mi router no funciona, ¿alguna solución?", "10-27 14:00", lang="es")
# (The help model reads "mantén presionado el botón de reinicio 10 segundos y luego reinicia
# el router" at 0.48, just under help: a known miss, see tests/data/HELP_MODEL.md. These
# threads test the clock, so the answer here is one it reads plainly.)
_add(131, 10, "@cust_d desenchufa el router 30 segundos y vuelve a enchufarlo, a mí me "
     "funcionó", "10-27 14:30", reply_to=130, lang="es")
_add(132, 23, "@champ gracias, funcionó!", "10-27 15:00", reply_to=131, lang="es")
# R5 (en, @AcmeHelp, week 44). Request 16:00, champion 16:40, staff 17:20: champion first by
# 80 - 40 = 40 minutes.
_add(140, 24, "@AcmeHelp my printer says offline, how do I fix it?", "10-28 16:00")
_add(141, 10, "@cust_e update the firmware from the settings menu, that fixed mine",
     "10-28 16:40", reply_to=140)
_add(142, 1, "@cust_e Please send us a DM with your model number. ^JK", "10-28 17:20",
     reply_to=140)
# R6 (es, @AcmeAyuda, week 44). Request 11:00; a "me too" at 11:10 is chatter, no answer:
# unanswered, 73 hours old at the window's end (10-31 12:00).
_add(150, 25, "@AcmeAyuda la tablet no enciende, ¿qué hago?", "10-28 11:00", lang="es")
_add(151, 26, "@cust_f a mí también me pasa", "10-28 11:10", reply_to=150, lang="es")
# Chatter to the brand (no request) and the brand's thanks: not counted at all.
_add(160, 27, "@AcmeHelp love the new colours, great job!", "10-28 12:00")
_add(161, 1, "@cust_h Thank you so much! ^JK", "10-28 12:05", reply_to=160)
# R8 (en, @AcmeHelp, week 44). Request 09:00; sam_support, whom staff marked as staff
# (account_labels), answers with steps at 09:15: a staff answer; helper at 09:30. Staff first
# (staff 15 min, community 30 min).
_add(170, 28, "@AcmeHelp my printer says offline, how do I fix it?", "10-29 09:00")
_add(171, 12, "@cust_i go to settings, then reset network settings, that fixes it",
     "10-29 09:15", reply_to=170)
_add(172, 11, "@cust_i unplug the printer for 30 seconds then plug it back in", "10-29 09:30",
     reply_to=170)
# R9 (es, to @AcmeHelp, week 44). Request 12:00; kim_agent (configured staff) at 12:50:
# staff first (staff 50 min).
_add(180, 29, "@AcmeHelp mi teléfono no carga, ¿alguna idea?", "10-29 12:00", lang="es")
_add(181, 13, "@cust_j Hola, ¿nos escribes por DM con tu número de serie? ^KA", "10-29 12:50",
     reply_to=180, lang="es")

# Worked by hand from the times above (minutes):
#   request  handle     lang  staff  community        first
#   R1       AcmeHelp   en    90     12 (helper)      community (78 min sooner)
#   R2       AcmeHelp   en    20     45 (champ)       staff
#   R3       AcmeHelp   en    65      5 (champ)       champion  (60 min sooner)
#   R4       AcmeAyuda  es    -      30 (champ)       champion  (staff never answered)
#   R5       AcmeHelp   en    80     40 (champ)       champion  (40 min sooner)
#   R6       AcmeAyuda  es    -      -                unanswered
#   R8       AcmeHelp   en    15 (sam) 30 (helper)    staff
#   R9       AcmeHelp   es    50 (kim) -              staff
# staff times [15, 20, 50, 65, 80, 90]: median (50 + 65) / 2 = 57.5; p90 at rank 4.5 of 0..5:
#   80 + 0.5 x 10 = 85. community [5, 12, 30, 30, 40, 45]: median 30; p90 40 + 0.5 x 5 = 42.5.
# first answer, any [5, 12, 15, 20, 30, 40, 50]: median 20; p90 at 5.4: 40 + 0.4 x 10 = 44.
# Champions' share: R3, R4, R5 = 3 of 8 first answered by a champion; the community's share:
#   R1 too, 4 of 8. Staff never answered R4: staff time saved 1 x 10 min (the default
#   assumption). Staff answered later on R1, R3, R5: customers had answers 78 + 60 + 40 = 178 min
#   sooner. champ: R3, R4, R5 first (R4 never answered by staff: 10 min; 100 min sooner);
#   helper: R1 (78 min sooner).
# The queue: R6 alone, one conversation (cust_f to AcmeAyuda), no staff in its thread.


@pytest.fixture
def threads(engine, tmp_path):
    users = [{"id": str(i), "username": n, "name": n} for i, n in USERS.items()]
    path = tmp_path / "threads.jsonl"
    path.write_bytes(orjson.dumps({"data": THREADS, "includes": {"users": users}}) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    with engine.begin() as conn:
        set_account_label(conn, 12, "staff", by="lead@acme.example")
    res = run_ranking(engine, SETTINGS, window_days=14, end=END)
    return engine, res


def test_hand_built_threads(threads):
    engine, res = threads
    tiers = {p.username: p.tier for p in res.people}
    assert tiers["champ"] == "champion" and tiers["helper"] != "champion"
    got = response.for_run(engine, res.run_id)
    assert got["requests"] == 8  # R1-R6, R8, R9; chatter and thanks are not requests
    assert got["first_answered_by"] == {"staff": 3, "champion": 3, "community": 1,
                                        "unanswered": 1}
    t = got["time_to_first_answer"]
    assert (t["staff"]["answered"], t["staff"]["median_minutes"], t["staff"]["p90_minutes"]
            ) == (6, pytest.approx(57.5), pytest.approx(85.0))
    assert (t["community"]["answered"], t["community"]["median_minutes"],
            t["community"]["p90_minutes"]) == (6, pytest.approx(30.0), pytest.approx(42.5))
    assert (t["any"]["answered"], t["any"]["median_minutes"], t["any"]["p90_minutes"]
            ) == (7, pytest.approx(20.0), pytest.approx(44.0))
    assert got["champions_share"] == {"share": 3 / 8, "requests": 3}
    assert got["community_share"] == {"share": 4 / 8, "requests": 4, "staff_answered_later": 3,
                                      "staff_never_answered": 1}
    assert got["staff_time_saved"] == {"requests": 1, "minutes_per_request": 10.0,
                                       "hours": pytest.approx(10 / 60)}
    assert got["customers_time_saved"] == {"requests": 3, "hours": pytest.approx(178 / 60)}
    assert got["unanswered_queue"] == {"conversations": 1, "requests": 1,
                                       "requests_in_threads_staff_answered": 0}
    # The assumption is a parameter (the settings' [response] staff_minutes_per_request).
    assert response.for_run(engine, res.run_id, staff_minutes_per_request=45)[
        "staff_time_saved"]["hours"] == pytest.approx(45 / 60)
    people = {p["username"]: p for p in got["people"]}
    assert set(people) == {"champ", "helper"}
    assert (people["champ"]["answered_first"], people["champ"]["staff_answered_later"],
            people["champ"]["staff_never_answered"], people["champ"]["tier"]) == (
        3, 2, 1, "champion")
    assert people["champ"]["staff_hours_saved"] == pytest.approx(10 / 60)
    assert people["champ"]["customers_hours_saved"] == pytest.approx(100 / 60)
    assert people["helper"]["staff_hours_saved"] == 0
    assert people["helper"]["customers_hours_saved"] == pytest.approx(78 / 60)
    # Those who spared staff the most answers first.
    assert [p["username"] for p in got["people"]] == ["champ", "helper"]

    by_handle = {g["handle"]: g for g in got["by_handle"]}
    assert by_handle["AcmeHelp"]["first_answered_by"] == {"staff": 3, "champion": 2,
                                                          "community": 1, "unanswered": 0}
    h = by_handle["AcmeHelp"]["time_to_first_answer"]
    assert (h["staff"]["median_minutes"], h["staff"]["p90_minutes"]) == (
        pytest.approx(57.5), pytest.approx(85.0))
    # community [5, 12, 30, 40, 45]: median 30, p90 at 3.6: 40 + 0.6 x 5 = 43
    assert (h["community"]["median_minutes"], h["community"]["p90_minutes"]) == (
        pytest.approx(30.0), pytest.approx(43.0))
    assert by_handle["AcmeAyuda"]["first_answered_by"] == {"staff": 0, "champion": 1,
                                                           "community": 0, "unanswered": 1}
    assert by_handle["AcmeAyuda"]["time_to_first_answer"]["staff"]["median_minutes"] is None
    by_lang = {g["lang"]: g for g in got["by_lang"]}
    assert set(by_lang) == {"en", "es"}
    assert by_lang["en"]["first_answered_by"] == {"staff": 2, "champion": 2, "community": 1,
                                                  "unanswered": 0}
    # en staff [15, 20, 65, 80, 90]: median 65, p90 at 3.6: 80 + 0.6 x 10 = 86
    e = by_lang["en"]["time_to_first_answer"]["staff"]
    assert (e["median_minutes"], e["p90_minutes"]) == (pytest.approx(65.0), pytest.approx(86.0))
    assert by_lang["es"]["first_answered_by"] == {"staff": 1, "champion": 1, "community": 0,
                                                  "unanswered": 1}
    assert by_lang["es"]["time_to_first_answer"]["staff"]["median_minutes"] == pytest.approx(50)

    # Weekly: W43 holds R1, R2 (first answers 12 and 20: median 16); W44 the other six, five
    # answered (5, 30, 40, 15, 50: median 30), three of them by the community first.
    assert [(w["week"], w["requests"], w["community_first"]) for w in got["weekly"]] == [
        ("2026-W43", 2, 1), ("2026-W44", 6, 3)]
    assert got["weekly"][0]["answered_share"] == 1.0
    assert got["weekly"][1]["answered_share"] == pytest.approx(5 / 6)
    assert [w["median_minutes"] for w in got["weekly"]] == [pytest.approx(16.0),
                                                            pytest.approx(30.0)]

    # One handle: only its requests.
    ayuda = response.for_run(engine, res.run_id, handle="@acmeayuda")
    assert ayuda["requests"] == 2 and ayuda["community_share"]["requests"] == 1
    assert ayuda["unanswered_queue"]["conversations"] == 1


def test_without_staff_marks_the_staff_answers_are_community(threads):
    """The staff decision and the configured handle are what make sam's and kim's replies
    staff answers: without them, sam's steps are a community answer, kim's "DM us" none."""
    engine, res = threads
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM account_labels")
        conn.exec_driver_sql("DELETE FROM champion_scores")
    got = response.response_times(engine, END - timedelta(days=14), END)
    # R8: sam (15 min) is now the community, first; R9: nobody; no run: no champions.
    assert got["first_answered_by"] == {"staff": 1, "champion": 0, "community": 5,
                                        "unanswered": 2}


def test_unanswered_queue(threads):
    engine, res = threads
    start, end = END - timedelta(days=14), END
    kw = {"run_id": res.run_id, "staff_handles": SETTINGS.staff_handles}
    rows, total = response.unanswered_queue(engine, start, end, **kw)
    assert total == 1
    assert [(r["tweet_id"], r["username"], r["handle"], r["lang"]) for r in rows] == [
        (150, "cust_f", "AcmeAyuda", "es")]
    assert rows[0]["waiting_hours"] == 73.0  # 10-28 11:00 to 10-31 12:00
    assert response.unanswered_queue(engine, start, end, handle="AcmeHelp", **kw) == ([], 0)
    assert response.unanswered_queue(engine, start, end, lang="en", **kw) == ([], 0)
    assert response.unanswered_queue(engine, start, end, lang="es", **kw)[1] == 1
    # The total does not depend on the page.
    assert response.unanswered_queue(engine, start, end, offset=5, **kw) == ([], 1)
    # The queue is what the figures call unanswered conversations.
    got = response.for_run(engine, res.run_id)
    assert got["unanswered_queue"]["conversations"] == total
    assert got["first_answered_by"]["unanswered"] == got["unanswered_queue"]["requests"] == 1


# The queue counts conversations, and leaves out threads where staff had replied to the
# customer. Four customers write to @AcmeHelp on 10-30 (worked by hand below):
QUEUE: list[dict] = []
QUEUE_USERS = {30: "cust_k", 31: "cust_l", 32: "cust_m", 33: "cust_n"}
# cust_k asks at 09:00; AcmeHelp answers at 09:30; cust_k's follow-up at 10:00 has no answer of
# its own, but staff replied to cust_k in this thread: left out of the queue.
# cust_m asks under AcmeHelp's reply to cust_k at 12:00: a thread staff answered, but nobody
# answered cust_m: in the queue, one request.
# cust_l asks at 11:00 and again, in a separate tweet, at 15:00: one conversation, two requests,
# waiting since 11:00 (25 hours at the window's end, 10-31 12:00), the latest text shown.
# cust_n asks at 13:00, adds a second question under it at 13:05; AcmeHelp answers the second
# at 14:00: the first has no staff reply of its own, but staff replied to cust_n in the
# thread, after it: left out.
# So: 2 conversations (cust_l 2 requests, cust_m 1), 3 requests; 2 requests left out; 5
# requests unanswered in all (request by request).
_QUEUE_TWEETS = [
    (200, 30, "@AcmeHelp my laptop will not turn on, what can I do?", "10-30 09:00", None),
    (201, 1, "@cust_k Sorry to hear that! Please DM us your serial number. ^JK", "10-30 09:30",
     200),
    (202, 30, "@AcmeHelp I did, my laptop still will not turn on, what now?", "10-30 10:00", 201),
    (210, 31, "@AcmeHelp my tablet screen is frozen, any fix?", "10-30 11:00", None),
    (220, 32, "@AcmeHelp my laptop will not turn on either, what can I do?", "10-30 12:00", 201),
    (230, 33, "@AcmeHelp my watch will not sync, any fix?", "10-30 13:00", None),
    (231, 33, "@AcmeHelp also the watch app crashes on start, any idea?", "10-30 13:05", 230),
    (232, 1, "@cust_n Thanks for reaching out! Please DM us the model. ^JK", "10-30 14:00", 231),
    (211, 31, "@AcmeHelp hello?? my tablet screen is still frozen, how do I fix it?",
     "10-30 15:00", None),
]


@pytest.fixture
def queue_threads(engine, tmp_path):
    names = {**USERS, **QUEUE_USERS}
    ids = {n.lower(): i for i, n in names.items()}
    data = []
    for tid, author, body, at, parent in _QUEUE_TWEETS:
        when = datetime.strptime(f"2026-{at}", "%Y-%m-%d %H:%M")
        t = {"id": str(tid), "author_id": str(author), "text": body, "lang": "en",
             "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "entities": {"mentions": [{"username": names[ids[m.lower()]],
                                        "id": str(ids[m.lower()])}
                                       for m in re.findall(r"@(\w+)", body)]}}
        if parent is not None:
            t["referenced_tweets"] = [{"type": "replied_to", "id": str(parent)}]
            t["in_reply_to_user_id"] = str(next(a for i, a, *_ in _QUEUE_TWEETS if i == parent))
        data.append(t)
    users = [{"id": str(i), "username": n, "name": n} for i, n in names.items()]
    path = tmp_path / "queue.jsonl"
    path.write_bytes(orjson.dumps({"data": THREADS + data, "includes": {"users": users}})
                     + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    with engine.begin() as conn:
        set_account_label(conn, 12, "staff", by="lead@acme.example")
    return engine, run_ranking(engine, SETTINGS, window_days=14, end=END)


def test_the_queue_counts_conversations_and_leaves_out_threads_staff_answered(queue_threads):
    engine, res = queue_threads
    start, end = END - timedelta(days=14), END
    kw = {"run_id": res.run_id, "staff_handles": SETTINGS.staff_handles}
    reqs, _ = response.request_rows(engine, start, end, **kw)
    first = {r.id: r.first for r in reqs}
    # Request by request (as the figures count them): each of these is a request, and only
    # 231 had a staff reply of its own.
    assert {t: first.get(t) for t in (200, 202, 210, 211, 220, 230, 231)} == {
        200: "staff", 202: "unanswered", 210: "unanswered", 211: "unanswered",
        220: "unanswered", 230: "unanswered", 231: "staff"}
    q = response.unanswered_conversations(engine, start, end, **kw)
    got = {(c["username"], c["handle"]): c for c in q["conversations"]}
    assert set(got) == {("cust_l", "AcmeHelp"), ("cust_m", "AcmeHelp"), ("cust_f", "AcmeAyuda")}
    cust_l = got[("cust_l", "AcmeHelp")]
    assert (cust_l["requests"], cust_l["tweet_ids"], cust_l["tweet_id"]) == (2, [210, 211], 211)
    assert cust_l["text"].startswith("@AcmeHelp hello?? my tablet")
    assert cust_l["waiting_hours"] == 25.0  # since 10-30 11:00
    assert got[("cust_m", "AcmeHelp")]["tweet_ids"] == [220]
    assert q["requests"] == 4 and q["requests_in_threads_staff_answered"] == 2  # + R6; 202, 230
    assert q["by_handle"] == {"AcmeHelp": 2, "AcmeAyuda": 1}  # (every handle asked)
    # Newest first by latest request: cust_l (10-30 15:00), cust_m (12:00), cust_f (10-28).
    assert [c["username"] for c in q["conversations"]] == ["cust_l", "cust_m", "cust_f"]
    rows, total = response.unanswered_queue(engine, start, end, oldest_first=True, **kw)
    assert total == 3 and [r["username"] for r in rows] == ["cust_f", "cust_l", "cust_m"]
    figures = response.for_run(engine, res.run_id)
    assert figures["unanswered_queue"] == {"conversations": 3, "requests": 4,
                                           "requests_in_threads_staff_answered": 2}
    assert figures["first_answered_by"]["unanswered"] == 6
    assert response.for_run(engine, res.run_id, handle="AcmeHelp")["unanswered_queue"] == {
        "conversations": 2, "requests": 3, "requests_in_threads_staff_answered": 2}


def test_the_staff_minutes_setting(tmp_path):
    """``[response] staff_minutes_per_request``: the default, a value, and a wrong one."""
    from settings import SettingsError, load_settings

    path = tmp_path / "c.toml"
    path.write_text("support_handles = ['AcmeHelp']\n")
    assert load_settings(path).response.staff_minutes_per_request == 10.0
    path.write_text("[response]\nstaff_minutes_per_request = 7.5\n")
    assert load_settings(path).response.staff_minutes_per_request == 7.5
    for bad in ("0", "-3", "'ten'", "true", "nan"):
        path.write_text(f"[response]\nstaff_minutes_per_request = {bad}\n")
        with pytest.raises(SettingsError, match="staff_minutes_per_request"):
            load_settings(path)
    path.write_text("[response]\nstaff_hours = 1\n")
    with pytest.raises(SettingsError, match="response.staff_hours: unknown setting"):
        load_settings(path)
    assert load_settings(ROOT_TOML).response.staff_minutes_per_request > 0


def test_quantile_is_linear_like_pandas():
    pd = pytest.importorskip("pandas")
    for values in ([1.0], [3.0, 1.0], [5, 12, 30, 30, 40, 45], list(range(17)), [2.5] * 4):
        for q in (0.5, 0.9):
            assert response.quantile(values, q) == pytest.approx(pd.Series(values).quantile(q))
    assert response.quantile([], 0.5) is None


# --- the real TWCS head --------------------------------------------------------------------

TWCS = "twcs-head-monalisapatra26/twcs.csv"
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})(?!\w)")


def independent_twcs_response(path) -> dict:
    """Straight from the CSV with pandas: requests to a brand (customers' tweets that mention
    a brand or reply to one, classified a request by the ranking's own phrase lists), the first
    brand reply to each, and the first customer answer (the ranking's notion: another
    customer's reply with answer content, or a pointer to a support handle the request had not
    addressed, or the continuation of their own reply to it)."""
    import pandas as pd

    text = path.read_text(encoding="utf-8")
    # The file has a bare \r inside one unquoted field; split records on \n only.
    rows = list(csv.DictReader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\x0b"),
                                           newline="\n")))
    df = pd.DataFrame([r for r in rows if r.get("tweet_id")]).fillna("")
    df["id"] = df["tweet_id"].astype(float).astype(int)
    df["parent"] = pd.to_numeric(df["in_response_to_tweet_id"], errors="coerce")
    df["at"] = pd.to_datetime(df["created_at"], format="%a %b %d %H:%M:%S %z %Y"
                              ).dt.tz_localize(None)
    df["text"] = df["text"].str.replace("\x0b", "\r")
    df["who"] = df["author_id"].str.lower()
    brands = set(df.loc[df["inbound"] == "False", "who"])
    df["brand"] = df["who"].isin(brands)
    df["mentions"] = df["text"].map(lambda t: {h.lower() for h in _MENTION.findall(t)})
    author = dict(zip(df["id"], df["who"]))
    parent_of = dict(zip(df["id"], df["parent"]))
    mentions = dict(zip(df["id"], df["mentions"]))
    m = RoleMatcher(Settings().phrases)
    roles = df["text"].map(lambda t: m.classify(t, None))
    df["request"] = roles.map(lambda r: r.request and not r.agent and not r.business)

    from graph.helpmodel import load_model

    model = load_model()
    brand_tweet = dict(zip(df["id"], df["brand"]))

    def is_answer(row, r) -> bool:
        if r.negative:
            return False
        p = row["parent"]
        to_customer = p == p and int(p) in author and not brand_tweet[int(p)]
        # A reply to a stored customer's tweet is help when the help model says so (no fix
        # link in TWCS: its links are t.co); any other tweet by the phrase rules.
        if to_customer and model is not None and row["text"]:
            if model.probability(m, row["text"], None) >= model.threshold:
                return True
        elif r.answer:
            return True
        # A pointer to the right handle (graph.classify): a reply naming a brand the tweet
        # it answers had not addressed.
        p = row["parent"]
        if p != p or int(p) not in author or any(
                (r.chatter, r.agent, r.request, r.thanks)):
            return False
        return any(b in brands and b != author[int(p)] and b != row["who"]
                   and b not in mentions[int(p)] for b in row["mentions"])

    df["answer"] = [is_answer(row, r) for (_, row), r in zip(df.iterrows(), roles)]

    def addressed(row) -> list[str]:
        p = author.get(int(row["parent"])) if row["parent"] == row["parent"] else None
        return sorted((row["mentions"] & brands) | ({p} if p in brands else set()))

    req = df[~df["brand"] & df["request"]].copy()
    req["to"] = req.apply(addressed, axis=1)
    req = req[req["to"].map(len) > 0]
    replies = df[df["parent"].notna()].copy()
    replies["parent"] = replies["parent"].astype(int)
    req = req.join(replies[replies["brand"]].groupby("parent")["at"].min().rename("staff_at"),
                   on="id")
    req["staff_min"] = (req["staff_at"] - req["at"]).dt.total_seconds() / 60

    def target(row) -> int | None:
        p = row["parent"]
        if author.get(p) == row["who"]:  # continuing one's own reply: what that one answers
            p = parent_of.get(p)
            p = int(p) if p == p and p is not None else None
        return p

    comm = replies[~replies["brand"] & replies["answer"]].copy()
    comm["target"] = comm.apply(target, axis=1)
    asker = dict(zip(req["id"], req["who"]))
    comm = comm[comm["target"].isin(asker) & (comm["who"] != comm["target"].map(asker))]
    req = req.join(comm.groupby("target")["at"].min().rename("comm_at"), on="id")
    return {"requests": req, "brands": brands, "end": df["at"].max()}


def test_real_twcs_head_matches_an_independent_count(engine):
    path = realdata(TWCS)
    import_files(engine, None, [path], log=lambda m: None)
    want = independent_twcs_response(path)
    req = want["requests"]
    # The slice: requests to exactly one brand (nearly all; the handle is then unambiguous).
    assert (req["to"].map(len) == 1).mean() > 0.95
    # The ranking's classification, then the figures (no run: staff are the brand accounts).
    classify_tweets(engine, Settings())
    start, end = datetime(2000, 1, 1), want["end"].to_pydatetime() + timedelta(seconds=1)
    got = response.response_times(engine, start, end)
    assert got["requests"] == len(req) > 500
    staff = req["staff_min"].dropna()
    t = got["time_to_first_answer"]["staff"]
    assert t["answered"] == len(staff)
    assert t["median_minutes"] == pytest.approx(staff.quantile(0.5))
    assert t["p90_minutes"] == pytest.approx(staff.quantile(0.9))
    assert got["time_to_first_answer"]["community"]["answered"] == int(
        req["comm_at"].notna().sum()) > 0
    first_staff = req["staff_at"].notna() & ~(req["comm_at"] < req["staff_at"])
    assert got["first_answered_by"]["staff"] == int(first_staff.sum())
    assert got["first_answered_by"]["unanswered"] == int(
        (req["staff_at"].isna() & req["comm_at"].isna()).sum())
    assert got["community_share"]["requests"] == int(
        (req["comm_at"].notna() & ~(req["staff_at"] <= req["comm_at"])).sum())
    # Per handle, for the slice of single-brand requests.
    one = req[req["to"].map(len) == 1]
    top = one["to"].map(lambda t: t[0]).value_counts()
    by_handle = {g["handle"].lower(): g for g in got["by_handle"]}
    for handle, n in top.head(5).items():
        assert by_handle[handle]["requests"] >= n
        mins = one.loc[one["to"].map(lambda t: t[0]) == handle, "staff_min"].dropna()
        if len(req[req["to"].map(lambda t, h=handle: h in t)]) == n:  # no shared requests
            assert by_handle[handle]["requests"] == n
            assert by_handle[handle]["time_to_first_answer"]["staff"]["median_minutes"] == \
                pytest.approx(mins.quantile(0.5))
    # Each request is a stored customer tweet with its roles.
    assert scalar(engine, "SELECT count(*) FROM tweet_acts WHERE is_request") >= len(req)


def test_pages_show_the_figures(threads, db_url, monkeypatch):
    """The response-times page leads with the champions' share and links each person to
    their page; the Fixes page's queue gives the true count and filters by handle."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/response_times.py").run()
    assert not at.exception
    assert at.metric[0].label == "Champions' share of help requests"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Champions' share of help requests"] == "37.5%"
    assert metrics["Community's share"] == "50.0%"
    assert metrics["Staff time saved"] == "0.2 h"          # 1 request x 10 min
    assert "1 requests staff never had to answer × 10 min each (the settings' assumption) = " \
        "0.2 h" in [c.value for c in at.caption]
    assert metrics["Help requests"] == "8"
    assert metrics["Staff, median to first answer"] == "58 min"  # 57.5
    assert metrics["Community, 90th percentile"] == "42 min"     # 42.5, to even
    assert metrics["Unanswered conversations"] == "1"
    # The figures were counted under a status naming each step (a cache miss).
    assert at.status and at.status[0].label.startswith("Counting the help requests")
    people = at.dataframe[-1].value
    assert list(people["person"]) == ["/person?user=champ", "/person?user=helper"]
    assert list(people["staff time saved"].round(3)) == [round(10 / 60, 3), 0]
    assert list(people["customers' time saved"].round(3)) == [round(100 / 60, 3),
                                                              round(78 / 60, 3)]
    at.selectbox(key="rt_handle").set_value("AcmeAyuda").run()
    assert {m.label: m.value for m in at.metric}["Help requests"] == "2"

    at.switch_page("pages/fixes.py").run()
    assert not at.exception
    assert "Conversations nobody answered (1)" in [s.value for s in at.subheader]
    assert [x.label for x in at.status if x.label.startswith("Counting the conversations")]
    queue = at.dataframe[-1].value
    assert list(queue["username"]) == ["cust_f"] and list(queue["age"]) == ["3.0 days"]
    assert list(queue["requests"]) == [1]
    assert list(queue["contact"]) == [""]
    # Marked do-not-contact meanwhile: the (cached) queue says so at once.
    from outreach.pipeline import update_entry

    update_entry(threads[0], 25, "lead@acme.example", status="do-not-contact")
    at.run()
    assert list(at.dataframe[-1].value["contact"]) == ["do not contact"]
    at.selectbox(key="queue_handle").set_value("AcmeHelp").run()
    assert "Conversations nobody answered (0)" in [s.value for s in at.subheader]


def test_the_people_table_shows_do_not_contact_and_the_cooldown(threads, db_url, monkeypatch):
    """Issue 18: the response-times page's people table had no do-not-contact mark."""
    from datetime import datetime, timedelta, timezone

    from streamlit.testing.v1 import AppTest

    from outreach.pipeline import update_entry
    from tests.conftest import ROOT

    engine = threads[0]
    update_entry(engine, 10, "lead@acme.example", status="do-not-contact")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    update_entry(engine, 11, "lead@acme.example", status="contacted",
                 last_contacted_at=now - timedelta(days=1))
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/response_times.py").run()
    assert not at.exception
    people = at.dataframe[-1].value
    assert dict(zip(people["person"], people["contact"])) == {
        "/person?user=champ": "do not contact",
        "/person?user=helper": f"cooldown until {now + timedelta(days=29):%Y-%m-%d}"}
