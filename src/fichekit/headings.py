"""The 13 fixed headings of a fiche d'expérience, as data.

Everything the parser, the validator and the writers know about headings lives
in :data:`HEADINGS`: the canonical text, the JSON key, the order, and the
alternative spellings accepted silently. :func:`match_heading` is the single
place deciding whether a line is a heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from .fr import LIGATURES, strip_accents

__all__ = [
    "HEADINGS",
    "HEADING_FIRST_CHARACTERS",
    "HEADING_BY_KEY",
    "SECTION_KEYS",
    "Heading",
    "HeadingMatch",
    "MatchKind",
    "closest_heading",
    "is_heading_start",
    "match_heading",
    "normalize",
    "synonym_first_characters",
    "synonyms",
]


@dataclass(frozen=True, slots=True)
class Heading:
    """One fixed heading of the sheet."""

    key: str
    """JSON key of the section (French snake_case, fixed: users depend on it)."""
    title: str
    """Canonical text, as the sheets print it and as writers render it."""
    variants: tuple[str, ...] = ()
    """Other spellings accepted without warning (compared after :func:`normalize`)."""


HEADINGS: tuple[Heading, ...] = (
    Heading("localisation", "Localisation"),
    Heading("chiffres_cles", "Chiffres clés"),
    Heading("publics_touches", "Publics touchés", ("public touché", "publics concernés")),
    Heading("partenaires", "Partenaires"),
    Heading(
        "contexte",
        "Contexte et situation initiale/prérequis",
        (
            "contexte et situation initiale",
            "contexte et situation initiale et prérequis",
            "contexte et prérequis",
            "contexte/prérequis",
        ),
    ),
    Heading("resultats", "Résultats"),
    Heading("etapes", "Etapes de mise en place", ("étapes de la mise en place",)),
    Heading("cles_du_succes", "Clés du succès", ("facteurs clés de succès",)),
    Heading("obstacles_et_freins", "Obstacles et freins", ("freins et obstacles",)),
    Heading(
        "pistes_amelioration",
        "Pistes d'amélioration ou de développement",
        ("pistes d'amélioration", "pistes de développement", "pistes d'amélioration et de développement"),
    ),
    Heading(
        "conseils",
        "Conseils pour la mise en oeuvre sur d'autres territoires et points de vigilance",
        (
            "conseils pour la mise en oeuvre sur d'autres territoires",
            "conseils pour la mise en oeuvre",
            "conseils pour la mise en oeuvre et points de vigilance",
            "conseils et points de vigilance",
        ),
    ),
    Heading("ressources_mobilisees", "Ressources mobilisées"),
    Heading("apports_du_groupe", "Apports du groupe"),
)

SECTION_KEYS: tuple[str, ...] = tuple(h.key for h in HEADINGS)
HEADING_BY_KEY: dict[str, Heading] = {h.key: h for h in HEADINGS}

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u00b4`\u2032"})
_SPACE_RUN = re.compile(r"\s+")
_AROUND_TIGHT = re.compile(r" ?([/'\-]) ?")


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
"""Soft hyphens and zero-width characters (text copied from a PDF or a web page): nothing to compare."""


def _slow_fold(text: str) -> str:
    return strip_accents(text.translate(_INVISIBLE).translate(LIGATURES).translate(_APOSTROPHES)).casefold()


def _fold_table() -> dict[int, str]:
    # Precomputed folding of every Latin-1 / Latin Extended-A character plus
    # the spaces and apostrophes exports use: str.translate runs in C.
    chars = [chr(c) for c in range(0x80, 0x180)] + ["\u2019", "\u2018", "\u02bc", "\u2032", "\u202f", "\u2007", "\u2009", "\u200a"]
    return {ord(c): _slow_fold(c) for c in chars}


_FOLD = _fold_table()
_FIXED_POINTS = "".join(sorted({ch for folded in _FOLD.values() for ch in folded if not ch.isascii() and _slow_fold(ch) == ch}))
_NEEDS_SLOW_FOLD = re.compile(f"[^\x00-\x5f\x61-\x7f{re.escape(_FIXED_POINTS)}]")
"""Something :func:`_slow_fold` would still change in a string the table folded: a character beyond the
table (not ASCII nor already folded like « » °), or a backquote (an apostrophe to it)."""


def _fold(text: str) -> str:
    """Case, accents, ligatures and apostrophes folded, character by character (the table, else :func:`_slow_fold`)."""
    folded = text.translate(_FOLD).lower()
    if not folded.isascii() and _NEEDS_SLOW_FOLD.search(folded):
        folded = _slow_fold(folded)
    return folded


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Fold a heading candidate for comparison.

    Case, accents, œ/oe and æ/ae, straight or curly apostrophes, runs of
    (no-break) spaces and spaces around ``/``, ``'`` and ``-`` do not matter.
    Only used to compare headings: content is never normalised.
    """
    folded = _SPACE_RUN.sub(" ", _fold(text)).strip(" .")
    return _AROUND_TIGHT.sub(r"\1", folded)


_EXACT: dict[str, str] = {}
for _heading in HEADINGS:
    for _form in (_heading.title, *_heading.variants):
        _EXACT[normalize(_form)] = _heading.key

_TOKEN = re.compile(r"[a-z0-9]+")
_HEADING_TOKENS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (h.key, tuple(_TOKEN.findall(normalize(h.title)))) for h in HEADINGS
)
_MAX_TOKENS = max(len(tokens) for _, tokens in _HEADING_TOKENS) + 1
# Spaces a heading line can hold before its colon: words, plus doubled or stray spaces.
_MAX_SPACES = 2 * _MAX_TOKENS
# A heading candidate longer than this (before the colon) is content: the
# longest heading is 79 characters.
MAX_HEADING_LENGTH = 100
# First letters a heading can start with once folded: a cheap filter that
# keeps most content lines away from the comparison below.
_FIRST_LETTERS = frozenset(form[0] for form in _EXACT)
HEADING_FIRST_CHARACTERS: frozenset[str] = frozenset(
    c for c in map(chr, range(0x20, 0x180)) if c.translate(_FOLD).lower()[:1] in _FIRST_LETTERS
)
"""Casefolded first characters a heading line can start with (accented forms included)."""


class MatchKind(Enum):
    EXACT = "exact"
    """The heading, or one of its known variants."""
    NEAR_MISS = "near_miss"
    """A misspelt heading, plainly meaning one of the 13."""
    DECORATED = "decorated"
    """The heading as people type it: numbered, in bold or Markdown marks, after an emoji or a
    determiner, with a qualifier (« du projet »), a dash in place of the colon (see :func:`match_heading`)."""


class HeadingMatch(NamedTuple):
    """A line recognised as a heading (a named tuple: one is made for every heading line read)."""

    key: str
    kind: MatchKind
    rest: str
    """Text after the first colon, trimmed: content of the section on the heading line."""
    written: str
    """The heading as written on the line (before the colon), trimmed."""
    closed: bool = False
    """The heading ends on its line (a colon, or a dash standing for one): a wrapped heading's
    second line cannot follow it."""


def _stem(token: str) -> str:
    # Singular/plural and masculine/feminine endings: "mobilisés" ~ "mobilisées".
    return token.rstrip("s").rstrip("e")


def _levenshtein_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _tokens_alike(a: str, b: str) -> bool:
    sa, sb = _stem(a), _stem(b)
    if sa == sb:
        return True
    return min(len(sa), len(sb)) >= 5 and _levenshtein_at_most_one(sa, sb)


def _token_distance(cand: tuple[frozenset[str], ...], ref: tuple[str, ...]) -> int:
    """Edit distance between token sequences; ``cand`` holds, per word, the heading words it is alike to."""
    previous = list(range(len(ref) + 1))
    for i, alike in enumerate(cand, 1):
        current = [i]
        for j, ref_token in enumerate(ref, 1):
            cost = 0 if ref_token in alike else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
    return previous[-1]


_VOCABULARY = frozenset(token for _, tokens in _HEADING_TOKENS for token in tokens)


@lru_cache(maxsize=65536)
def _alike_to(token: str) -> frozenset[str]:
    """The heading words ``token`` is alike to (usually none: most words are content)."""
    return frozenset(word for word in _VOCABULARY if _tokens_alike(token, word))


@lru_cache(maxsize=4096)
def _near_miss(folded: str) -> str | None:
    """Key of the heading ``folded`` plainly means, though misspelt, else None.

    Every word must match (up to plural/gender endings or one typo); headings of
    three words or more also tolerate one word dropped, added or replaced. So
    "Obstacle et freins" and "Ressources mobilisés" are near misses, while
    "Résultats attendus en 2026" or "Partenaires à solliciter" are content.
    """
    words = _TOKEN.findall(folded)
    if not words or len(words) > _MAX_TOKENS:
        return None
    cand = tuple(_alike_to(word) for word in words)
    # Each word alike to no heading word costs one edit: content lines stop here.
    strangers = sum(1 for alike in cand if not alike)
    if strangers > 1:
        return None
    best: tuple[int, str] | None = None
    for key, ref in _HEADING_TOKENS:
        if abs(len(ref) - len(cand)) > 1:
            continue
        allowed = 1 if len(ref) >= 3 and len(cand) >= 2 else 0
        if strangers > allowed:
            continue
        distance = _token_distance(cand, ref)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, key)
    return best[1] if best else None


_SYNONYMS: ContextVar[Mapping[str, str]] = ContextVar("fichekit_synonyms", default=MappingProxyType({}))
"""A network's own titles (folded) -> heading keys, for the reading in progress (see :func:`synonyms`)."""


@contextmanager
def synonyms(titles: Mapping[str, str]) -> Iterator[None]:
    """Read with a network's own vocabulary: ``{"Facteurs de réussite": "cles_du_succes"}``.

    Within the block, a line whose text before the colon is one of ``titles``
    (compared as headings are: case, accents, spaces aside) is the heading of
    that key, silently; the JSON keys never change. fichekit ships no such
    guesses itself: only a network knows that its « Perspectives » are the
    « Pistes d'amélioration ou de développement ». Scoped to the current
    context (thread or task), so concurrent readings do not mix vocabularies.
    """
    unknown = sorted(key for key in titles.values() if key not in HEADING_BY_KEY)
    if unknown:
        raise ValueError(f"unknown heading keys: {', '.join(unknown)}")
    token = _SYNONYMS.set({normalize(title): key for title, key in titles.items()})
    try:
        yield
    finally:
        _SYNONYMS.reset(token)


def is_heading_start(text: str) -> bool:
    """Whether ``text`` begins one of the headings or variants (a heading the page wrapped, so far)."""
    folded = normalize(text)
    return bool(folded) and any(form.startswith(folded) for form in _EXACT)


def is_heading_end(text: str) -> bool:
    """Whether ``text`` ends one of the headings or variants, from a word on (« de vigilance », « groupe »):
    the last line of a title the page wrapped."""
    folded = normalize(text)
    return bool(folded) and any(form == folded or form.endswith(" " + folded) for form in _EXACT)


def synonym_first_characters() -> frozenset[str]:
    """Casefolded first characters of the titles of :func:`synonyms` in force (for the parser's quick test)."""
    firsts = {title[:1] for title in _SYNONYMS.get() if title}
    if not firsts:
        return frozenset()
    return frozenset(c for c in map(chr, range(0x20, 0x180)) if c.translate(_FOLD).lower()[:1] in firsts)


def match_heading(line: str) -> HeadingMatch | None:
    """Say whether a trimmed, marker-free line is one of the 13 headings.

    The text before the first colon (or the whole line) is compared after
    :func:`normalize`. Known variants match silently; a near miss is returned
    with ``kind=NEAR_MISS`` and a heading as people type it with
    ``kind=DECORATED``, so the caller can warn:

    * numbered: ``1.``, ``1)``, ``A)``, ``III -``, ``I.`` before it;
    * marked up: ``**…**``, ``__…__``, ``*…*`` (Gmail's bold), ``###``;
    * after an emoji or a symbol (``📍 Localisation``);
    * after a determiner (``Les``, ``Nos``, ``Quelques``, ``Principaux``…);
    * with a qualifier: words that describe the rubric itself — its object
      (``du projet``, ``de l'action``…), its time (``pendant l'atelier``), its
      state (``obtenus``, ``principaux``) — or a remark in parentheses
      (``Ressources mobilisées (humaines, matérielles)``). Words that narrow
      it to something else are content: ``Résultats attendus en 2026 : …``,
      ``Partenaires à solliciter : …`` (see :data:`QUALIFIERS`);
    * `` - `` or `` – `` in place of the colon (``localisation - Tours``);
    * ``clef(s)`` for ``clé(s)``, ``&`` or ``/`` for ``et``.
    """
    head, colon, rest = line.partition(":")
    found = _HEADS.get(head)
    if found is not None:
        # A heading met before, plainly or decorated: no synonym nor dash rule applies to those.
        rest = rest.strip() if colon else ""
        if found[1] is MatchKind.DECORATED and rest[:1] in ("*", "_"):
            rest = rest.lstrip("*_").strip()
        return HeadingMatch(found[0], found[1], rest, head.strip(), bool(colon))
    if len(head) > MAX_HEADING_LENGTH:
        head, colon, rest = line[: MAX_HEADING_LENGTH + 1], "", ""
        if " - " not in head and " – " not in head:
            return None
    synonyms = _SYNONYMS.get()
    if not synonyms and not may_pass_pretest(head):
        return None  # most content lines stop here, before any normalisation
    found = _classify(head)
    if found is not None and found[1] is not MatchKind.NEAR_MISS and len(head) <= MAX_HEADING_LENGTH and len(_HEADS) < _MAX_HEADS:
        _HEADS[head] = found
    extra = synonyms if found is None or found[1] is MatchKind.NEAR_MISS else None
    if extra:
        key = extra.get(normalize(head)) or extra.get(_undecorate(normalize(head)) if head.strip() else "")
        if key is not None:
            return HeadingMatch(key, MatchKind.EXACT, rest.strip() if colon else "", head.strip(), bool(colon))
    if (found is None or found[1] is MatchKind.NEAR_MISS) and "\t" in head:
        # « Localisation<tab>Dijon »: a Word table row copied as text, the tab between its two cells.
        tab = head.index("\t")
        before = _classify(head[:tab])
        if before is not None and before[1] is not MatchKind.NEAR_MISS:
            return HeadingMatch(before[0], before[1], line[tab + 1 :].strip(), head[:tab].strip(), True)
    if (found is None or found[1] is MatchKind.NEAR_MISS) and (" -" in head or " –" in head or " —" in head):
        dash = _DASH.search(head)
        if dash is not None:
            # « Localisation - Tours », « Etapes de mise en place - 2021 : signature… »: the dash is the colon.
            before = _classify(head[: dash.start()])
            if before is not None and (found is None or before[1] is not MatchKind.NEAR_MISS):
                return HeadingMatch(before[0], MatchKind.DECORATED, line[dash.end() :].strip(), head[: dash.start()].strip(), True)
    if found is None:
        return None
    key, kind = found
    rest = rest.strip() if colon else ""
    if kind is MatchKind.DECORATED and rest[:1] in ("*", "_"):
        rest = rest.lstrip("*_").strip()  # "**Localisation :** Tours": the closing marks
    return HeadingMatch(key, kind, rest, head.strip(), bool(colon))


_HEADS: dict[str, tuple[str, MatchKind]] = {}
"""Heads (text before the colon) already read as a plain or decorated heading: the same few
spellings start most lines that are headings, sheet after sheet."""
_MAX_HEADS = 4096


@lru_cache(maxsize=16384)
def _classify(head: str) -> tuple[str, MatchKind] | None:
    if head.count(" ") > _MAX_SPACES:
        return None  # far more words than any heading: content
    folded = normalize(head)
    if not folded:
        return None
    if folded[0] in _FIRST_LETTERS:
        key = _EXACT.get(folded)
        if key is not None:
            return key, MatchKind.EXACT
    undecorated = _undecorate(folded) if _maybe_decorated(folded) else folded
    if undecorated != folded and undecorated:
        key = _EXACT.get(undecorated)
        if key is not None:
            return key, MatchKind.DECORATED
    if folded[0] not in _FIRST_LETTERS:
        return None
    key = _near_miss(folded)
    return (key, MatchKind.NEAR_MISS) if key is not None else None


_DASH = re.compile(r"\s[-–—]\s")
_LEADING = re.compile(
    r"(?:#{1,6}\s*"  # Markdown heading marks
    r"|[*_]{1,3}\s*"  # emphasis opening
    r"|(?:[ivxlc]{1,6}|[a-z]|\d{1,2})\s*[.)°]\s*"  # 1. 1) a) i.
    r"|(?:[ivxlc]{1,6}|\d{1,2})\s*[-–—]\s*"  # iii - , 2 -
    r"|[^\w\s'\"«(]+\s*"  # an emoji or symbols
    r")+"
)
_TRAILING = re.compile(r"\s*(?:[*_]{1,3}|#+|\s\([^()]*\))\s*$")
DETERMINERS = frozenset("les le la l' nos notre vos leurs des quelques principaux principales principal principale".split())
"""Words that may stand before a heading (« Les partenaires », « Nos résultats »)."""
QUALIFIERS: tuple[str, ...] = tuple(
    normalize(q)
    for q in (
        "du projet", "de l'action", "de l'initiative", "de la démarche", "de l'expérience", "de la structure",
        "de l'association", "du dispositif", "pendant l'atelier", "lors de l'atelier", "de l'atelier",
        "obtenus", "obtenues", "observés", "observées", "principaux", "principales", "actuels", "actuelles",
        "rencontrés", "rencontrées", "identifiés", "identifiées",
    )
)  # fmt: skip
"""Qualifiers that describe the rubric itself, so « Localisation du projet » is the heading
« Localisation ». A qualifier that narrows the rubric to something else — what is still to come
(« attendus », « envisagés », « à solliciter », a date) — makes the line content."""
_WORD_SWAPS = (("&", " et "), ("/", " et "), ("clefs", "cles"), ("clef", "cle"))


_QUALIFIER_ENDINGS = tuple(" " + q for q in QUALIFIERS)
_ENUMERATOR = re.compile(r"(?:[ivxlc]{1,6}|[a-z]|\d{1,2})\s*[.)°\-–—]")
_KEY_WORDS = ("locali", "chiffre", "public", "partenai", "context", "resultat", "etape", "cle", "obstacle", "frein",
              "piste", "conseil", "ressource", "apport", "facteur")  # fmt: skip
"""Stems of each heading's main words: a decorated heading holds at least one of them."""
_KEY_WORD = re.compile("|".join(_KEY_WORDS))
_DECORATION_CHARS = tuple("*_#()&/")
_ARTICLE_MARKS = (" la ", " le ", " les ", " l'")


def _maybe_decorated(folded: str) -> bool:
    """A cheap test, in C string operations, that :func:`_undecorate` may change ``folded``:
    most lines are content, and most headings are written plainly."""
    if _KEY_WORD.search(folded) is None:
        return False  # no heading's main word: content, however it is decorated
    if not folded[0].isalpha() or _ENUMERATOR.match(folded) or folded.endswith(_QUALIFIER_ENDINGS):
        return True
    if any(char in folded for char in _DECORATION_CHARS) or "clef" in folded:
        return True
    first = folded.split(" ", 1)[0]
    return first in DETERMINERS or first.startswith("l'") or any(mark in folded for mark in _ARTICLE_MARKS)


def _undecorate(folded: str) -> str:
    """A folded heading candidate without what people add around headings (see :func:`match_heading`)."""
    text = _LEADING.sub("", folded, count=1) if not folded[0].isalpha() or _LEADING.match(folded) else folded
    text = _TRAILING.sub("", text).strip(" .*_")
    for old, new in _WORD_SWAPS:
        if old in text:
            text = text.replace(old, new)
    text = _SPACE_RUN.sub(" ", text).strip()
    if text in _EXACT:
        return text
    first, _, remainder = text.partition(" ")
    if first in DETERMINERS or first.startswith("l'"):
        candidate = remainder if first in DETERMINERS else text[2:]
        if candidate in _EXACT:
            return candidate
        text = candidate
    for qualifier in QUALIFIERS:
        if text.endswith(" " + qualifier) and text[: -len(qualifier) - 1] in _EXACT:
            return text[: -len(qualifier) - 1]
    bare = _without_articles(text)
    if bare in _EXACT_BARE:
        # « le contexte et la situation initiale » : articles inside a heading do not matter.
        return _EXACT_BARE[bare]
    return text


_ARTICLES = re.compile(r"(?:^|(?<= ))(?:la|le|les|l') ?")


def _without_articles(folded: str) -> str:
    return _SPACE_RUN.sub(" ", _ARTICLES.sub("", folded)).strip()


_EXACT_BARE: dict[str, str] = {_without_articles(form): form for form in _EXACT}
"""Folded headings and variants without their articles, to the form they come from."""


@lru_cache(maxsize=4096)
def closest_heading(text: str) -> str | None:
    """The key of the heading ``text`` is closest to, sharing a word with it, if any (for « vouliez-vous dire »)."""
    words = _TOKEN.findall(normalize(text))
    best: tuple[int, str] | None = None
    for key, ref in _HEADING_TOKENS:
        shared = sum(1 for word in words if any(_tokens_alike(word, token) for token in ref if len(token) > 3))
        if shared and (best is None or shared > best[0]):
            best = (shared, key)
    return best[1] if best else None


# -- the cheap pre-test -------------------------------------------------------------------------

_PREFIX_WORDS = 4
"""How many words of a line the pre-test reads: enough to tell nearly every line."""
_LEAD_TOKENS = frozenset(("les", "le", "la", "nos", "notre", "vos", "leurs", "des", "quelques", "principaux",
                          "principales", "principal", "principale"))  # fmt: skip
"""Tokens of :data:`DETERMINERS` (``l'`` is the single letter ``l``, an enumerator's shape)."""
_ENUMERATOR_TOKEN = re.compile(r"[ivxlc]{1,6}|[a-z]|\d{1,2}")
"""Tokens :data:`_LEADING` may remove before a decorated heading: ``iii``, ``a``, ``12``."""
_FORM_FIRST = frozenset(
    _TOKEN.findall(form)[0] for form in (*_EXACT, *_EXACT_BARE) if _TOKEN.findall(form)
) | {"clef", "clefs"}  # fmt: skip
"""First tokens of every heading form, bare or not (``clef(s)`` is swapped for ``clé(s)``)."""


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[str, ...]:
    """The tokens :func:`normalize` then ``_TOKEN`` make of one word (cached: first words repeat)."""
    return tuple(_TOKEN.findall(_fold(word)))


def may_pass_pretest(head: str) -> bool:
    """The pre-test of :func:`match_heading`: False only where no way of matching finds a heading in ``head``."""
    return _may_be_heading(head) or _may_be_dashed_heading(head)


def _may_be_dashed_heading(head: str) -> bool:
    """:func:`_may_be_heading` for the words before a dash or a tab that stands for the colon
    (« L'du groupe - Tours », « Localisation<tab>Dijon »): the words after it are content, not strangers."""
    if "\t" in head and _may_be_heading(head[: head.index("\t")]):
        return True
    if " -" not in head and " –" not in head and " —" not in head:
        return False
    dash = _DASH.search(head)
    return dash is not None and _may_be_heading(head[: dash.start()])


def _may_be_heading(head: str) -> bool:
    """Whether :func:`_classify` could find a heading in ``head``, from its first words alone.

    Exact, not a heuristic: it says no only where every way of matching says no.
    A near miss allows one word alike to no heading word (:func:`_near_miss`), so
    the first words cannot hold two such strangers. A plain or decorated heading
    starts, once :func:`_undecorate` has removed enumerators (``iii``, ``a``,
    ``12``), determiners and articles, with the first token of a heading form.
    :func:`normalize` folds character by character and spaces only separate
    tokens, so the tokens of the first words are the first tokens of the line.
    """
    words = head.split(None, _PREFIX_WORDS)
    whole = len(words) <= _PREFIX_WORDS
    if not whole:
        words.pop()  # the rest of the line, not read
    tokens: list[str] = []
    for word in words:
        tokens.extend(_word_tokens(word))
    if not tokens:
        return not whole
    strangers = sum(1 for token in tokens if not _alike_to(token))
    if strangers == 0 or (strangers == 1 and (len(tokens) > 1 or not whole)):
        return True  # the heading itself, or a near miss, is still possible
    for token in tokens:
        if token in _FORM_FIRST:
            return True
        if token not in _LEAD_TOKENS and not _ENUMERATOR_TOKEN.fullmatch(token):
            return False
    return not whole  # only enumerators and determiners so far: the heading may come after them
