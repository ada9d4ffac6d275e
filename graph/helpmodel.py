"""Is this reply help? A small learned model for one customer's reply to another's problem.

The phrase lists (``graph.roles``) find steps and pointers by their words, and miss most help
written in other words ("9am", "text PAC to 65075, free", "ajustes > aplicaciones > batería").
This model reads the reply as character n-grams (they work in every script, Japanese
included, and survive typos), plus a few counts the phrase lists and the text's shape give:
fix cues, answer cues, chatter, dismissals, a question, a link, a settings path (``a > b``), a
number or a time, a handle pointed to. It is a logistic regression, trained by
``python -m graph train-help`` on labelled replies kept under ``tests/data/`` (the data card:
``tests/data/HELP_MODEL.md``), with cross-validation by file, and shipped as its weights
(``graph/models/help.npz``): nothing is trained at run time.

It decides only where the question arises: a customer's reply to another customer's request
(``graph.classify`` asks it for those, a few percent of all tweets). A reply with a negative
phrase or a dismissal ("skill issue", "switch to Android") is never help, whatever the model
says; a link to a fix domain, numbered steps and a quote of a brand's fix always are.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from graph.roles import RoleMatcher, normalize
from untrusted import cell_value

__all__ = ["HelpModel", "load_model", "use_model", "MODEL_PATH", "TRAINING_FILES",
           "text_features", "read_labelled", "Labelled", "shape"]

MODEL_PATH = Path(__file__).parent / "models" / "help.npz"
N_FEATURES = 2 ** 20
NGRAMS = (2, 5)

_URL = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co|uk|es|fr|de|it|"
                  r"br|id|jp|io|gov|help|support)(?:/\S*)?", re.I)
_LEADING = re.compile(r"^(?:\s*[@＠][A-Za-z0-9_]{1,15})+\s*")
_HANDLE = re.compile(r"[@＠][A-Za-z0-9_]{1,15}")
_PATH = re.compile(r"\S\s*(?:>|→|->|»)\s*\S")
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}|\d{1,2}\s?(?:am|pm|h)\b", re.I)
_DIGITS = re.compile(r"\d")  # a number, and the digits the n-grams write as 0


# The counts beside the n-grams, in this order (the model's last weights).
CUES = ("fix", "answer", "hint", "chatter", "negative", "thanks", "request", "question",
        "link", "path", "number", "time", "handle", "short", "long")


def shape(text: str) -> str:
    """The reply as the n-grams see it: leading handles dropped, links, other handles and
    digits written as placeholders (a price is a price, whatever it is), normalised."""
    return _shaped(_LEADING.sub("", text or ""))


def _shaped(body: str) -> str:
    """``shape`` of a reply whose leading handles are already gone."""
    body = _URL.sub(" ⟨link⟩ ", body)
    body = _HANDLE.sub(" ⟨at⟩ ", body)
    return _DIGITS.sub("0", normalize(body))


def text_features(matcher: RoleMatcher, text: str, lang: str | None,
                  reading=None) -> list[float]:
    """The cues of one reply, in ``CUES`` order (``reading``: ``matcher.reading``'s, when the
    caller has it): its phrase cues, and counts read from its ``shape`` (but for a digit,
    looked for in its words, links and handles included)."""
    return _cues(shape(text), reading or matcher.reading(text, lang), _has_number(text))


def _has_number(text: str) -> bool:
    return bool(_DIGITS.search(_LEADING.sub("", text or "")))


def _cues(shaped: str, reading, number: bool) -> list[float]:
    roles, present = reading
    words = len(shaped.split())
    return [
        float("fix" in present), float("answer" in present), float("hint" in present),
        float(roles.chatter), float(roles.negative), float(roles.thanks), float(roles.request),
        float("?" in shaped or "？" in shaped), float("⟨link⟩" in shaped),
        float(bool(_PATH.search(shaped))), float(number),
        float(bool(_TIME.search(shaped))), float("⟨at⟩" in shaped),
        float(words <= 3), float(words >= 25),
    ]


_MASK = N_FEATURES - 1
_SUMS_MAX = 50_000


def grams(shaped: str) -> dict[int, float]:
    """Character n-grams (``NGRAMS``) of each word padded with a space on both sides, hashed
    (CRC-32) into ``N_FEATURES`` buckets, counted and scaled to unit length. Plain Python: the
    ranking reads replies without importing scikit-learn (a second a process)."""
    found: list[int] = []
    known = _WORD_GRAMS
    for word in shaped.split():
        hashes = known.get(word)
        if hashes is None:
            if len(known) >= _WORDS_MAX:
                known.clear()
            hashes = known[word] = _word_grams(word)
        found.extend(hashes)
    counts = Counter(found)
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {h: v / norm for h, v in counts.items()}


# A word's hashed n-grams, by word: a brand's replies reuse a vocabulary of some tens of
# thousands of words, and hashing each word's grams once made ``grams`` 3x faster.
_WORD_GRAMS: dict[str, tuple[int, ...]] = {}
_WORDS_MAX = 200_000


def _word_grams(word: str) -> tuple[int, ...]:
    w = f" {word} "
    size = len(w)
    lo, hi = NGRAMS
    return tuple(zlib.crc32(w[i:i + n].encode("utf-8")) & _MASK
                 for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1))


def design(matcher: RoleMatcher, rows: list[tuple[str, str | None]]):
    """The model's input for (text, lang) rows, as a sparse matrix (for training): hashed
    n-grams, then the cues."""
    from scipy.sparse import csr_matrix

    data, cols, ptr = [], [], [0]
    for text, lang in rows:
        g = grams(shape(text))
        cols.extend(g)
        data.extend(g.values())
        for k, v in enumerate(text_features(matcher, text, lang)):
            if v:
                cols.append(N_FEATURES + k)
                data.append(v)
        ptr.append(len(cols))
    return csr_matrix((np.array(data), np.array(cols, dtype=np.int64), np.array(ptr)),
                      shape=(len(rows), N_FEATURES + len(CUES)))


@dataclass
class HelpModel:
    """Weights over ``design``'s columns, an intercept, and the threshold on the probability
    above which a reply is help (chosen at training time)."""

    weights: np.ndarray
    intercept: float
    threshold: float
    fingerprint: str

    def __post_init__(self) -> None:
        self._w = self.weights.tolist()  # list indexing is what the per-gram loop does
        # ``read``'s sums by reply shape and reading (a brand's traffic is a few thousand
        # shapes), kept across pages; emptied when it reaches _SUMS_MAX entries.
        self._sums: dict[tuple, float] = {}

    def read(self, matcher: RoleMatcher, text: str, lang: str | None, reading=None
             ) -> tuple[float, bool]:
        """(the probability that the reply is help, rounded to 4 places; whether the product
        counts it as help: never a negative reply or a dismissal, whatever the probability).
        ``reading``: ``matcher.reading(text, lang)``, when the caller has it. The sum is kept
        by the reply's shape, reading and whether it has a digit (everything the model reads):
        replies that differ only in handles, links and digits are summed once."""
        reading = reading or matcher.reading(text, lang)
        body = _LEADING.sub("", text or "")  # (once, for the shape and the digit)
        shaped = _shaped(body)
        roles, present = reading
        number = bool(_DIGITS.search(body))
        key = (shaped, roles, frozenset(present), number)
        sums = self._sums
        z = sums.get(key)
        if z is None:
            w = self._w
            cues = _cues(shaped, reading, number)
            z = (self.intercept + sum(w[h] * v for h, v in grams(shaped).items())
                 + sum(w[N_FEATURES + k] for k, v in enumerate(cues) if v))
            if len(sums) >= _SUMS_MAX:
                sums.clear()
            sums[key] = z
        p = round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)
        return p, p >= self.threshold and not reading[0].negative

    def probability(self, matcher: RoleMatcher, text: str, lang: str | None) -> float:
        return self.read(matcher, text, lang)[0]

    def probabilities(self, matcher: RoleMatcher, rows: list[tuple[str, str | None]]
                      ) -> list[float]:
        return [self.probability(matcher, text, lang) for text, lang in rows]

    def is_help(self, matcher: RoleMatcher, rows: list[tuple[str, str | None]]) -> list[bool]:
        """The product's reading of replies to another customer's request (``read``): what
        ``graph.classify`` stores for each."""
        return [self.read(matcher, body, lang)[1] for body, lang in rows]

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _load.cache_clear()
        nz = np.flatnonzero(self.weights)
        np.savez_compressed(path, index=nz.astype(np.int32),
                            value=self.weights[nz].astype(np.float32),
                            intercept=np.array([self.intercept]),
                            threshold=np.array([self.threshold]),
                            size=np.array([len(self.weights)]))


# The labelled replies the shipped model is trained on (``python -m graph train-help``),
# under tests/data; the blind paraphrase set (paraphrases_help.csv) is only ever a test.
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TRAINING_FILES = (DATA / "help_train.csv", DATA / "help_train_real_style.csv",
                  DATA / "twcs_reply_labels.csv")

_OVERRIDE: list[HelpModel | None] = []


@contextmanager
def use_model(model: HelpModel | None):
    """Rank with ``model`` instead of the shipped one (``graph.suite`` ranks each real stretch
    with a model trained without it)."""
    _OVERRIDE.append(model)
    try:
        yield model
    finally:
        _OVERRIDE.pop()


def load_model(path: Path = MODEL_PATH) -> HelpModel | None:
    """The model in use: the shipped one, or None when there is none (then only the phrase
    rules decide)."""
    if _OVERRIDE:
        return _OVERRIDE[-1]
    return _load(path)


def model_fingerprint(path: Path = MODEL_PATH) -> str | None:
    """``load_model().fingerprint`` without reading the model's weights (a ranking with
    nothing new asks only this)."""
    if _OVERRIDE:
        model = _OVERRIDE[-1]
        return model.fingerprint if model is not None else None
    return _file_fingerprint(path)


@lru_cache(maxsize=4)
def _file_fingerprint(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None


@lru_cache(maxsize=4)
def _load(path: Path) -> HelpModel | None:
    if not path.exists():
        return None
    raw = path.read_bytes()
    with np.load(path) as z:
        w = np.zeros(int(z["size"][0]), dtype=np.float64)
        w[z["index"]] = z["value"]
        return HelpModel(w, float(z["intercept"][0]), float(z["threshold"][0]),
                         hashlib.sha256(raw).hexdigest()[:16])


@dataclass(frozen=True)
class Labelled:
    source: str   # the file (cross-validation holds out whole files)
    text: str
    lang: str | None
    help: bool


# Labels of real tweets name the tweet, not its text (the real data is never copied into the
# repository): ``file`` says which shared file holds it.
TWCS_FILES = {"head": "twcs-head-monalisapatra26/twcs.csv",
              "dev": "twcs-slice-mdakram2002/twcs_dev.csv"}


def _twcs_texts(realdata: Path, name: str) -> dict[str, str]:
    path = realdata / TWCS_FILES[name]
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["tweet_id"]: row["text"] for row in csv.DictReader(fh)}


def read_labelled(path: Path, realdata: Path | None = None) -> list[Labelled]:
    """Labelled replies from a CSV with columns ``label`` (``help`` / ``not_help``), the text
    in ``reply`` (or ``text``), and optionally ``lang``; or, for real tweets, ``file``
    (``head``/``dev``: a TWCS file under ``realdata``) and ``tweet_id`` instead of the text,
    each file a source of its own. With a ``role`` column (staff's corrections, exported by
    ``graph evaluate --export-labels``) only the ``answer`` rows are read. Raises ValueError
    naming the file and line for anything else."""
    out: list[Labelled] = []
    texts: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = set(reader.fieldnames or ())
        by_id = {"file", "tweet_id"} <= fields
        column = "reply" if "reply" in fields else "text"
        if not (by_id or column in fields) or "label" not in fields:
            raise ValueError(f"{path}:1: the header needs a label column and the text (reply "
                             "or text) or the tweet (file, tweet_id)")
        if by_id and realdata is None:
            raise ValueError(f"{path}: names real tweets by id: give the real data's folder")
        for row in reader:
            if (row.get("role") or "answer") != "answer":
                continue  # staff's corrections of thanks (graph evaluate --export-labels)
            label = (row["label"] or "").strip().lower()
            if label not in ("help", "not_help"):
                raise ValueError(f"{path}:{reader.line_num}: label must be help or not_help,"
                                 f" not {label!r}")
            if by_id:
                name = row["file"]
                if name not in TWCS_FILES:
                    raise ValueError(f"{path}:{reader.line_num}: unknown file {name!r}")
                if name not in texts:
                    texts[name] = _twcs_texts(realdata, name)
                body = texts[name].get(row["tweet_id"])
                if body is None:
                    raise ValueError(f"{path}:{reader.line_num}: tweet {row['tweet_id']} is "
                                     f"not in {TWCS_FILES[name]}")
                out.append(Labelled(f"{path.stem}:{name}", body, None, label == "help"))
            else:
                out.append(Labelled(path.name, cell_value(row[column] or ""),
                                    (row.get("lang") or None), label == "help"))
    return out


def fit(matcher: RoleMatcher, rows: Iterable[Labelled], c: float = 4.0) -> HelpModel:
    """A logistic regression on ``rows``; the threshold is set afterwards (``choose``)."""
    from sklearn.linear_model import LogisticRegression

    rows = list(rows)
    x = design(matcher, [(r.text, r.lang) for r in rows])
    y = np.array([r.help for r in rows])
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    lr.fit(x, y)
    w = lr.coef_[0].astype(np.float64)
    key = hashlib.sha256(w.tobytes() + np.float64(lr.intercept_[0]).tobytes()).hexdigest()[:16]
    return HelpModel(w, float(lr.intercept_[0]), 0.5, key)
