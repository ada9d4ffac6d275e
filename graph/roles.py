"""Tweet roles in a support conversation, as pure functions of a tweet's text and language.

* a **request**: a problem or a question;
* a **fix**: concrete steps or a pointer to a solution (links to fix domains, quotes of a
  brand's fix and pointers to the right handle are added from SQL, in ``graph.classify``);
* an **answer**: a fix, or other answer content: an explanation or a fact;
* **thanks** or confirmation: "that worked", "thanks", 🙏 (never with a negative phrase);
* **negative** feedback: "didn't work", "thanks for nothing";
* **chatter**: "me too", jokes, offers without content: a reply with chatter and no fix is no
  answer;
* **agent** and **business** voice: a brand agent's sign-off (^JK, -Becky, *ErikS) or "DM us";
  an organisation's product talk ("our new range"). These flag accounts as likely staff or
  businesses; they are evidence, not verdicts.

Matching is Unicode-aware (see ``settings.phrases``): NFKC plus case folding; phrases in scripts
written without spaces match as substrings, the others only between non-letters.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Roles", "RoleMatcher", "phrases_fingerprint", "ROLE_NAMES", "normalize",
           "strip_signoff", "SIGNOFF", "is_broadcast"]

ROLE_NAMES = ("request", "fix", "answer", "thanks", "negative", "chatter", "agent", "business")

_LEADING_MENTIONS = re.compile(r"^(?:\s*[@＠][A-Za-z0-9_]{1,15})+\s*")
_URL = re.compile(r"https?://\S+")
# Handles are ASCII: "@AmazonHelpさんありがとう" is a handle followed by Japanese.
_MENTION = re.compile(r"[@＠][A-Za-z0-9_]{1,15}")
# "thaaanks", "graciasss": letters repeated three times or more, in Latin script.
_REPEATS = re.compile(r"([a-zß-ÿ])\1{2,}")
_TRIPLE = re.compile(r"([a-zß-ÿ])\1\1")  # whether there are any (found twice as fast)
# A negative phrase inside a condition is advice, not feedback ("if it still doesn't work,
# call them"): a conditional word shortly before it.
_CONDITION = re.compile(r"(?<![^\W_])(?:if|unless|si|jika|kalau|bila|wenn|falls|se)(?![^\W_])"
                        r"[^.!?]{0,20}$")
# Numbered steps: "1." needs a "2." after it ("1. Amazing time today" is a list of one).
_NUMBERED_STEP = re.compile(r"(?:^|\s)(?:1[.)]\s.*?\s2[.)]|step\s*1|①.*?②)\s", re.I | re.S)
_QUESTION = re.compile(r"[?？؟¿⸮]")
# After a thank-you: "for" a wait, a delay, nothing, within the same clause (Riloff et al. 2013:
# sarcasm as a positive phrase next to a negative situation).
_SARCASTIC_FOR = re.compile(
    r"[^\w.!?,;]{0,3}(?:for|por|pour|per|für|pela|pelo)\s[^.!?,;]{0,30}?(?<![^\W_])"
    r"(?:late|slow|wait|waiting|delay|delayed|nothing|ignoring|wasting|useless|no help|"
    r"hours?|days?|weeks?|espera|esperar|tardar|nada|ignorarme|rien|attente|niente|nichts|"
    r"warten|demora|nada)(?![^\W_])")
# Scripts written without spaces between words: a phrase in them matches as a substring.
_BOUNDARYLESS = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f\U00020000-\U0002fa1f]")
# A brand agent's sign-off at the end of a tweet: ^JK, *ErikS, /CG, -Becky, --JV, - Ed,
# "-Thanks-Anwar", "Thanks - Emma", optionally before a trailing link.
_NAME = r"[A-ZÀ-ÖØ-Þ][A-Za-zß-öø-ÿ]{1,15}"
_THANKWORD = r"(?i:many thanks|thanks|thank you|thank u|thx|ty|cheers|regards|best)"
SIGNOFF = re.compile(
    r"(?:(?:^|[\s.!?,)])"
    r"(?:[\^*~]\s?(?:" + _THANKWORD + r"\s?[-–—,]?\s?)?[A-Za-z][A-Za-z.]{1,15}"
    r"|(?:[-–—/]{1,2}\s?)(?:" + _THANKWORD + r"\s?[-–—,]?\s?)?" + _NAME +
    r"|" + _THANKWORD + r"\s?[-–—]\s?" + _NAME +
    # "... closer look? Thanks, Anwar": a comma only after a finished sentence, so a
    # customer's "thanks, Sam!" stays thanks.
    r"|(?<=[.!?])\s+" + _THANKWORD + r"\s?,\s?" + _NAME + r")"
    # Japanese agents sign with initials straight after the text: "…くださいませ~♪ TY".
    r"|(?<=[^\x00-\x7f])[\s\u3000]*[A-Z]{2,3})"
    r"\s*(?:https?://\S+\s*)*$")
# Every sign-off in ASCII text has one of these characters in it: the rest of ``SIGNOFF``
# needs a dash of another script or a letter outside ASCII before the initials.
_SIGNOFF_CUE = re.compile(r"[\^*~\-/,]")

# A tweet's lang that says nothing about the language: try every list.
_NO_LANG = {None, "", "und", "zxx", "qme", "qht", "qst", "qam", "art"}
# X's own codes that differ from ISO 639-1 (X tags Indonesian "in").
_LANG_ALIASES = {"in": "id", "iw": "he", "ji": "yi"}


class Roles(NamedTuple):
    request: bool
    fix: bool
    answer: bool
    thanks: bool
    negative: bool
    chatter: bool
    agent: bool
    business: bool


NONE = Roles(*(False,) * len(ROLE_NAMES))


def is_broadcast(text: str) -> bool:
    """A tweet addressed to six or more accounts (contests, pile-ons): chatter."""
    return (text.count("@") + text.count("＠") >= 6
            and len(set(_MENTION.findall(text))) >= 6)


def normalize(text: str) -> str:
    """NFKC and case folding: fullwidth ｔｈａｎｋｓ is thanks, half-width kana full-width;
    typographic apostrophes are plain ones."""
    if text.isascii():  # NFKC leaves ASCII as it is, and folds its case as lower() does
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace(
            "‘", "'")
    return _REPEATS.sub(r"\1", folded) if _TRIPLE.search(folded) else folded


# No sign-off is longer than this, but for its runs of spaces (``_signoff_from``).
_SIGNOFF_SPAN = 48


def _signoff_from(s: str) -> int:
    """Where a sign-off at the end of ``s`` (stripped, without links) can start at the
    earliest: ``_SIGNOFF_SPAN`` characters from the end, or before a run of spaces that
    reaches back past that (the sign-offs of unbounded length are spaces and then a short
    name: "done.      Thanks, Emma", "…ませ　　TY"), and the character before the run.
    Searching from there finds the same match as searching the whole text, in a fixed time
    instead of one growing with the tweet."""
    i = len(s) - _SIGNOFF_SPAN
    if i <= 0:
        return 0
    while i > 0 and s[i - 1].isspace():  # str.isspace is what re's \s matches
        i -= 1
    return max(0, i - 1)


def strip_signoff(text: str) -> tuple[str, bool]:
    """The text without a trailing agent sign-off, and whether there was one."""
    s = text.rstrip()
    # A trailing link (the pattern allows links after a sign-off) can be any length.
    start = 0 if "http" in s else _signoff_from(s)
    if s.isascii() and not _SIGNOFF_CUE.search(s, start):
        return text, False
    m = SIGNOFF.search(s, start)
    if not m:
        return text, False
    return text[:m.start()], True


def _trie(phrases: list[str]) -> str:
    """A regex for a set of literals shaped as a trie: Python's ``re`` tries every alternative
    of a flat alternation at every position, a trie only the prefixes that can still match
    (26x faster on a hundred phrases)."""
    root: dict = {}
    for p in phrases:
        node = root
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return build(root)


_EVERY = " every"  # (not a language tag): the lists of every language at once, for text of
# no known language

_LETTER_BEFORE = r"(?<![^\W_])"   # not after a letter or digit, in any script
_LETTER_AFTER = r"(?!['’]?[^\W_])"  # "you can" is not in "you can't"


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """Alternatives matched as words in spaced scripts and as substrings in unspaced ones; a
    phrase that starts or ends in a symbol (an emoji, "+1") matches as it is there."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for p in {normalize(p.strip()) for p in phrases if p.strip()}:
        if _BOUNDARYLESS.search(p):
            key = (False, False)
        else:
            key = (bool(re.match(r"[^\W_]", p)), bool(re.search(r"[^\W_]$", p)))
        groups.setdefault(key, []).append(p)
    parts = []
    for (left, right), items in sorted(groups.items()):
        parts.append((_LETTER_BEFORE if left else "") + _trie(sorted(items))
                     + (_LETTER_AFTER if right else ""))
    return re.compile("|".join(parts)) if parts else None


def phrases_fingerprint(phrases: dict[str, dict[str, list[str]]]) -> str:
    """What a ``RoleMatcher`` is built from, as a short hash (without compiling it)."""
    return hashlib.sha256(
        json.dumps(phrases, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


# A word: a run of letters and digits, in any script (what the phrases' boundaries see).
_WORD = re.compile(r"[^\W_]+")


class _PerWord(dict):
    """First word -> [(role, the role's phrases starting with it as one anchored pattern)],
    compiled the first time a text holds the word: a few hundred of the thousands of words are
    ever met, and compiling them all tripled the cost of building a matcher (0.16 to 0.42 s,
    paid by every worker and every ranking with new tweets)."""

    def __init__(self, phrases: dict[str, dict[str, list[str]]]):
        super().__init__()
        self.phrases = phrases

    def __missing__(self, word: str) -> list[tuple[str, re.Pattern[str]]]:
        found = self[word] = [(role, _pattern(ps))
                              for role, ps in sorted(self.phrases[word].items())]
        return found


@dataclass
class _Lists:
    """One language's phrases, compiled two ways.

    ``rx``: per role, one pattern of all its phrases (``_pattern``); ``finditer`` on it gives
    the matches themselves (the evidence, the positions of thanks and negations).

    ``present`` answers the question the classifier asks ten times a tweet, "does any phrase of
    this role occur?", for all roles in one pass: a phrase starting with a letter can only
    start where a word does, and that word is the phrase's first word. So one pattern finds
    the words of the text that start any phrase (``firsts``), and at each only the phrases
    starting with that word are tried, one anchored pattern per role (``words``), with the
    same boundaries as the role's own pattern. Phrases that start with a symbol or are written
    without spaces (``rest``) keep a pattern per role, searched only when the text holds one
    of their first characters (``rest_first``). A real tweet (TWCS, 107 characters on average)
    is classified in 27 µs instead of 59, with the same answer (tests/test_roles.py compares
    both on every real text we have)."""

    rx: dict[str, re.Pattern[str] | None]
    words: dict[str, list[tuple[str, re.Pattern[str]]]] = field(default_factory=dict)
    rest: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # The words that start a phrase, as whole words (a word of the text is a maximal run of
    # letters and digits, as ``_WORD`` finds): the loop visits only them, not every word.
    firsts: re.Pattern[str] | None = None
    # The characters that start a phrase of ``rest``: most texts have none of them, and then
    # no role's pattern is searched (a pattern of all of them instead took 20 µs a tweet).
    rest_first: re.Pattern[str] | None = None

    @classmethod
    def of(cls, lists: dict[str, list[str]]) -> "_Lists":
        starting: dict[str, dict[str, list[str]]] = {}
        rest: dict[str, list[str]] = {}
        for role, phrases in lists.items():
            for p in sorted({normalize(p.strip()) for p in phrases if p.strip()}):
                first = _WORD.match(p)
                if first is None or _BOUNDARYLESS.search(p):
                    rest.setdefault(role, []).append(p)
                else:  # starts with a letter or digit: only where a word starts
                    starting.setdefault(first.group(0), {}).setdefault(role, []).append(p)
        words = _PerWord(starting)
        return cls({r: _pattern(v) for r, v in lists.items()}, words,
                   {r: _pattern(v) for r, v in rest.items()},
                   re.compile(_LETTER_BEFORE + _trie(sorted(starting)) + r"(?![^\W_])")
                   if starting else None,
                   re.compile("[" + "".join(sorted({re.escape(p[0]) for v in rest.values()
                                                    for p in v})) + "]") if rest else None)

    def present(self, body: str) -> set[str]:
        """The roles with at least one phrase in ``body`` (normalised)."""
        found: set[str] = set()
        if self.firsts is not None:
            words = self.words
            for w in self.firsts.finditer(body):
                at = w.start()
                for role, rx in words[w.group()]:
                    if role not in found and rx.match(body, at):
                        found.add(role)
        if self.rest_first is not None and self.rest_first.search(body):
            for role, rx in self.rest.items():
                if role not in found and rx.search(body):
                    found.add(role)
        return found

    def present_by_patterns(self, body: str) -> set[str]:
        """``present`` the plain way, one pattern search per role (the reference)."""
        return {role for role, rx in self.rx.items() if rx is not None and rx.search(body)}


@dataclass
class RoleMatcher:
    """Compiled from the settings' phrases: one matcher per language, plus one for text whose
    language is unknown (every list at once)."""

    phrases: dict[str, dict[str, list[str]]]
    _sources: dict[str, dict[str, list[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        roles = {r for lists in self.phrases.values() for r in lists}
        universal = self.phrases.get("any", {})
        # Each language's lists, compiled when a text in it is first seen (``_compiled``): a
        # brand's traffic is in a few languages, and compiling the others' is time a
        # scheduled cycle of a few thousand tweets need not spend.
        self._sources = {}
        for lang, lists in self.phrases.items():
            if lang == "any":
                continue
            self._sources[lang] = {r: list(lists.get(r, ())) + list(universal.get(r, ()))
                                   for r in roles}
        self._sources["any"] = {r: list(universal.get(r, ())) for r in roles}
        merged: dict[str, list[str]] = {r: [] for r in roles}
        for lists in self.phrases.values():
            for r, values in lists.items():
                merged[r].extend(values)
        self._sources[_EVERY] = merged
        self._compiled: dict[str, _Lists] = {}
        self._tags: dict[str | None, _Lists] = {}
        self.fingerprint = phrases_fingerprint(self.phrases)

    def _lists(self, lang: str | None) -> _Lists:
        found = self._tags.get(lang)  # a handful of distinct tags: each is looked up once
        if found is None:
            found = self._tags[lang] = self._lists_of(lang)
        return found

    def _lists_of(self, lang: str | None) -> _Lists:
        lang = (lang or "").lower().split("-")[0]
        lang = _LANG_ALIASES.get(lang, lang)
        if lang in _NO_LANG:
            return self._compile(_EVERY)
        # A language without built-in phrases gets only the language-independent ones (an
        # English "ty" must not match Polish "ty").
        return self._compile(lang if lang in self._sources and lang != _EVERY else "any")

    def _compile(self, key: str) -> _Lists:
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _Lists.of(self._sources[key])
        return found

    def matches(self, text: str | None, lang: str | None = None) -> dict[str, list[str]]:
        """role -> the phrases that matched, as they appear: the evidence behind a role."""
        if not text:
            return {}
        body, signed = self._body(text)
        lists = self._lists(lang)
        out = {role: sorted({m.group(0) for m in rx.finditer(body)})
               for role, rx in lists.rx.items() if rx is not None}
        if signed:
            out.setdefault("agent", []).append("(sign-off)")
        return {k: v for k, v in out.items() if v}

    @staticmethod
    def _body(text: str) -> tuple[str, bool]:
        body = _URL.sub(" ", text)
        body, signed = strip_signoff(body)
        body = _LEADING_MENTIONS.sub("", body)
        body = _MENTION.sub(" ", body)  # a handle is not a word ("@ty_support")
        return normalize(body), signed

    def classify(self, text: str | None, lang: str | None = None) -> Roles:
        """The roles of one tweet's text; ``lang`` is the tweet's own language tag, if any."""
        if not text:
            return NONE
        body, signed = self._body(text)
        lists = self._lists(lang)
        return self._roles(text, body, signed, lists.rx, lists.present(body))

    def reading(self, text: str | None, lang: str | None = None) -> tuple[Roles, set[str]]:
        """``classify``, and the roles with at least one phrase in the text (the help model's
        cues: a weak answer cue alone is no answer, but it is a cue)."""
        if not text:
            return NONE, set()
        body, signed = self._body(text)
        lists = self._lists(lang)
        present = lists.present(body)
        return self._roles(text, body, signed, lists.rx, present), present

    def _roles(self, text: str, body: str, signed: bool,
               rx: dict[str, re.Pattern[str] | None], present: set[str]) -> Roles:
        """``present``: the roles with a phrase in ``body`` (``_Lists.present``); the matches
        themselves are looked for only in those."""
        neg_rx = rx.get("negative") if "negative" in present else None
        negative = bool(neg_rx) and any(not _CONDITION.search(body, 0, m.start())
                                        for m in neg_rx.finditer(body))
        thanks_rx = rx.get("thanks") if "thanks" in present else None
        thanks_at = [m.end() for m in thanks_rx.finditer(body)] if thanks_rx else []
        # Sarcastic thanks: a thank-you for a wait, a delay or nothing ("thanks for the 8 hour
        # late response") is a complaint.
        if thanks_at and not negative and any(_SARCASTIC_FOR.match(body, at)
                                              for at in thanks_at):
            negative = True
        thanks = bool(thanks_at) and not negative
        question = bool(_QUESTION.search(body))
        # A tweet addressed to six or more accounts is a broadcast (contests, pile-ons).
        chatter = "chatter" in present or is_broadcast(text)
        fix_rx = rx.get("fix") if "fix" in present else None
        fix = ("1" in body or "①" in body) and bool(_NUMBERED_STEP.search(body))
        if not fix and fix_rx is not None:
            cues = {m.group(0) for m in fix_rx.finditer(body)}
            # A question offers a fix only with two cues ("have you tried clearing the
            # cache?"); "did you try asking them?" just asks.
            fix = len(cues) >= (2 if question else 1)
        # An explanation or a fact: one strong cue ("you can", "due to", "call them"), or two
        # weak ones ("because", "apparently", "i think") outside chatter: one "because" is as
        # often a complaint's ("because they never answer").
        strong = "answer" in present
        hint_rx = rx.get("hint") if "hint" in present and not strong else None
        weak = (len({m.group(0) for m in hint_rx.finditer(body)}) >= 2
                and "chatter" not in present) if hint_rx is not None else False
        explains = (strong or weak) and not question
        agent = signed or "agent" in present
        # Thanks with no steps or strong cue is a thank-you ("tx for explaining, because..."
        # is still an answer when it says "it depends on"), and a brand agent's voice is staff
        # work. Chatter around content ("ugh, same! try X") is still an answer.
        answer = ((fix or explains) and not negative and not (thanks and not fix and not strong)
                  and not agent)
        asks = "request" in present
        # A question is a request unless it is chatter ("good morning! who's ready?").
        request = asks or (question and not chatter)
        # "Thanks, that worked!" is resolution, not a new request; a question that also
        # offers steps ("have you tried X?") is an answer, not a request.
        # Thanks in advance ("... mohon bantuannya. Terima kasih", "any ideas? cheers") keep
        # a request; thanks anywhere else mean it was resolved.
        in_advance = thanks and thanks_at[-1] >= len(body.rstrip(" .!🙏")) - 1
        if thanks and not question and not (asks and in_advance):
            request = False
        if fix and question and not asks:
            request = False
        business = "business" in present
        return Roles(request, fix and not negative, answer, thanks, negative, chatter, agent,
                     business)

    def voice(self, text: str | None, lang: str | None = None) -> tuple[bool, bool]:
        """(speaks as "we", speaks as "I"): an organisation speaks as we and never as I."""
        if not text:
            return False, False
        body, _ = self._body(text)
        present = self._lists(lang).present(body)
        return "we" in present, "i" in present


def phrase_counts(phrases: dict[str, dict[str, list[str]]], texts) -> dict[tuple[str, str, str],
                                                                           int]:
    """(language, role, phrase) -> how many of ``texts`` it matches, with the boundaries the
    matcher uses (a text is read as ``RoleMatcher`` reads it: links, handles and a sign-off
    left out, normalised). How general a built-in phrase is: one fitted to a single tweet
    matches almost nothing else (tests/test_phrase_generality.py)."""
    by_first: dict[str, list[tuple[tuple[str, str, str], re.Pattern[str]]]] = {}
    rest: list[tuple[tuple[str, str, str], str, re.Pattern[str]]] = []
    counts: dict[tuple[str, str, str], int] = {}
    for lang, lists in phrases.items():
        for role, values in lists.items():
            for raw in values:
                p = normalize(raw.strip())
                if not p:
                    continue
                key = (lang, role, raw)
                counts[key] = 0
                rx = _pattern([p])
                first = _WORD.match(p)
                if first is None or _BOUNDARYLESS.search(p):
                    rest.append((key, p[0], rx))
                else:
                    by_first.setdefault(first.group(0), []).append((key, rx))
    for text in texts:
        body, _ = RoleMatcher._body(text or "")
        hit: set[tuple[str, str, str]] = set()
        for w in _WORD.finditer(body):
            for key, rx in by_first.get(w.group(), ()):
                if key not in hit and rx.match(body, w.start()):
                    hit.add(key)
        for key, first_char, rx in rest:
            if first_char in body and key not in hit and rx.search(body):
                hit.add(key)
        for key in hit:
            counts[key] += 1
    return counts
