"""The BM25F index of the articles, and the search that offers articles for a mail.

Scores, 0..1: the share of the mail's weight that an article matches. Each term of the mail weighs its idf
(x1.5 in the subject, +25% a repeat up to two; x0.4 for a word no article has, nothing for such a word only ever
capitalised: a name) and counts in an article with its BM25F saturation: about 0.77 for a term in the title,
0.67 in the tags, 0.84 in both, 0.4 for one mention in a body of average length; a near match (a stem sibling,
a related word) counts x0.7 or x0.6 of that. So a mail whose every word is in an article's title scores about
0.8, and one of three equally weighty words, one of them once in the body, about 0.13. A mail of n > 6 counted terms
has its weight divided by sqrt(n / 6): long mails carry chatter, which should not drown their topic. Then the
article's factor: x0.7 in another language than the request's, x1.1 in the request's queue, x1.1 in its
category; the score is capped at 1. DEFAULT_THRESHOLD, 0.35, is roughly "the mail's main words in the article's
title or tags": of 62 hand-written mails to 28 articles, the 46 with a right article had it first at 0.38 or
more; of the 16 about something no article covers, 15 scored 0.34 or less.
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from postdesk.routing.knowledge.articles import Article, Suggestion
from postdesk.routing.knowledge.words import RELATED, body_text, field_counts, mail_terms

# ---------------------------------------------------------------------------------------------- scoring knobs

DEFAULT_THRESHOLD = 0.35  # below this a suggestion is more likely noise than help; the scale is above

_K1 = 1.5  # BM25 saturation: a word's 2nd and 3rd occurrence add less and less
_TITLE_WEIGHT, _TAGS_WEIGHT, _BODY_WEIGHT = 5.0, 3.0, 1.0  # a word in the title says more than one in the body
_TITLE_B, _TAGS_B, _BODY_B = 0.3, 0.3, 0.75  # length normalisation: bodies vary in length, titles hardly do

_SHORT_MAIL = 6  # terms; a longer mail's weight is divided by sqrt(terms / 6), see the module's docstring
_PREFIX_WEIGHT = 0.7  # "подключается" finding "подключиться": likely the same thing, less certain
_RELATED_WEIGHT = 0.6  # "мфу" finding "принтер": related, not the same
_UNKNOWN_WEIGHT = 0.4  # a word no article has is as often chatter as topic: it lowers every score a little
_OTHER_LANG_FACTOR = 0.7  # an article in another language must match clearly better to be offered
_QUEUE_FACTOR = 1.1  # the request's queue or category matching the article's: a modest nudge, a tie-breaker
_CATEGORY_FACTOR = 1.1

_SLACK = 1 - 1e-9  # bounds are sums in another order than the scores: a hair of room for rounding
_PREFIX_MIN = 5  # shorter stems are too ambiguous to match by prefix
_SIBLING_MIN = 7  # stems sharing this many first letters may differ in their last two

# ---------------------------------------------------------------------------------------------- the index


def _add_all(scores: dict[int, float], entries: list[tuple[float, array[int], array[float]]]) -> None:
    """Add a term's contribution to every article that has it; one with several matches counts the best."""
    get = scores.get
    if len(entries) == 1:
        mass, ids, sats = entries[0]
        for d, s in zip(ids, sats, strict=True):
            scores[d] = get(d, 0.0) + mass * s
        return
    best: dict[int, float] = {}
    best_get = best.get
    for mass, ids, sats in entries:
        for d, s in zip(ids, sats, strict=True):
            v = mass * s
            if v > best_get(d, 0.0):
                best[d] = v
    for d, v in best.items():
        scores[d] = get(d, 0.0) + v


# A term of the mail as the search uses it: the best it can add to any score, and per indexed term it may match
# (itself, a prefix sibling, a related word) the mass it adds and its postings.
_Concept = tuple[float, list[tuple[float, "array[int]", "array[float]"]]]


class KnowledgeIndex:
    """An inverted index of articles, built once and only read after; `search` offers the articles for a mail."""

    __slots__ = ("_articles", "_by_slug", "_category", "_cyrillic", "_idf", "_lang", "_max_sat", "_postings",
                 "_queue", "_unknown_idf")

    def __init__(self, articles: list[Article], postings: dict[str, tuple[array[int], array[float]]]) -> None:
        """Use `build`; this takes the postings: term -> (article numbers ascending, saturated weights 0..1)."""
        self._articles = articles
        self._by_slug = {a.slug: a for a in articles}
        self._postings = postings
        n = len(articles)
        self._idf = {t: math.log(1.0 + (n - len(ids) + 0.5) / (len(ids) + 0.5)) for t, (ids, _) in postings.items()}
        self._max_sat = {t: max(sats) for t, (_, sats) in postings.items()}
        self._unknown_idf = math.log(1.0 + (n + 0.5) / 0.5)
        self._cyrillic = sorted(t for t in postings if "а" <= t[0] <= "я")
        self._lang = [a.lang for a in articles]
        self._queue = [a.queue.casefold() if a.queue else None for a in articles]
        self._category = [a.category.casefold() if a.category else None for a in articles]

    @classmethod
    def build(cls, articles: Iterable[Article]) -> KnowledgeIndex:
        """Index the articles; two with one slug are a mistake of the knowledge base and raise ValueError."""
        docs = list(articles)
        seen: dict[str, Article] = {}
        for a in docs:
            if a.slug in seen:
                raise ValueError(f"slug {a.slug!r} of {a.source} is taken by {seen[a.slug].source}")
            seen[a.slug] = a
        fields = [(field_counts(a.title), field_counts("\n".join(a.tags)), field_counts(body_text(a)))
                  for a in docs]
        n = max(len(docs), 1)
        avg = [max(sum(f[i][1] for f in fields) / n, 1.0) for i in range(3)]
        postings: dict[str, tuple[array[int], array[float]]] = {}
        for number, ((title, title_len), (tags, tags_len), (body, body_len)) in enumerate(fields):
            title_w = _TITLE_WEIGHT / (1.0 - _TITLE_B + _TITLE_B * title_len / avg[0])
            tags_w = _TAGS_WEIGHT / (1.0 - _TAGS_B + _TAGS_B * tags_len / avg[1])
            body_w = _BODY_WEIGHT / (1.0 - _BODY_B + _BODY_B * body_len / avg[2])
            tf: dict[str, float] = {t: c * body_w for t, c in body.items()}
            for t, c in tags.items():
                tf[t] = tf.get(t, 0.0) + c * tags_w
            for t, c in title.items():
                tf[t] = tf.get(t, 0.0) + c * title_w
            for t, x in tf.items():
                entry = postings.get(t)
                if entry is None:
                    entry = postings[t] = (array("i"), array("f"))
                entry[0].append(number)
                entry[1].append(x / (x + _K1))
        return cls(docs, postings)

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order indexed: for browsing by queue and tag."""
        return tuple(self._articles)

    def __len__(self) -> int:
        return len(self._articles)

    def get(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    def _alternatives(self, term: str) -> list[tuple[str, float]]:
        """The indexed terms a mail's term may match, each with the confidence of that match."""
        idf = self._idf
        found = {term: 1.0} if term in idf else {}
        if len(term) >= _PREFIX_MIN and "а" <= term[0] <= "я":
            for k in range(max(_PREFIX_MIN, len(term) - 2), len(term)):  # "расчет" for "расчетн"
                if term[:k] in idf:
                    found.setdefault(term[:k], _PREFIX_WEIGHT)
            head = term[:_SIBLING_MIN]
            i = bisect.bisect_left(self._cyrillic, head)
            while i < len(self._cyrillic) and self._cyrillic[i].startswith(head):
                other = self._cyrillic[i]
                extends = other.startswith(term) and len(other) - len(term) <= 2  # "подключен" for "подключ"
                sibling = len(term) >= _SIBLING_MIN and len(other) >= _SIBLING_MIN and abs(len(other) - len(term)) <= 2
                if extends or sibling:
                    found.setdefault(other, _PREFIX_WEIGHT)
                i += 1
        for other in RELATED.get(term, ()):
            if other in idf:
                found.setdefault(other, _RELATED_WEIGHT)
        return list(found.items())

    def _concepts(self, text: str) -> tuple[list[_Concept], float]:
        """The mail's terms ready to score, and the mail's total weight: the most any article could score."""
        idf, postings, max_sat = self._idf, self._postings, self._max_sat
        concepts: list[_Concept] = []
        total = 0.0
        counted = 0
        for term, mail_term in mail_terms(text).items():
            weight = mail_term.weight
            alternatives = self._alternatives(term)
            if not alternatives:
                if not mail_term.capitalised:  # "Новосибирск", "Иван": names say nothing of the problem
                    total += weight * _UNKNOWN_WEIGHT * self._unknown_idf
                    counted += 1
                continue
            total += weight * max(idf[t] for t, _ in alternatives)  # a near match counts for less than the word
            counted += 1
            entries = [(weight * w * idf[t], *postings[t]) for t, w in alternatives]
            upper = max(weight * w * idf[t] * max_sat[t] for t, w in alternatives)
            concepts.append((upper, entries))
        if counted > _SHORT_MAIL:  # a long mail's chatter should not drown its topic: sqrt, not linear
            total *= math.sqrt(_SHORT_MAIL / counted)
        return concepts, total

    def search(self, text: str, *, lang: str | None = None, queue: str | None = None,
               category: str | None = None, limit: int = 3, threshold: float | None = None) -> list[Suggestion]:
        """Up to `limit` articles for a mail (subject line, then body), best first, scoring >= `threshold`.

        The scale of the scores is in the module's docstring; `lang`, `queue` and `category` are the request's.
        """
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        if limit <= 0 or not self._articles:
            return []
        concepts, total = self._concepts(text)
        if total <= 0.0 or not concepts:
            return []
        boost = _Boost(self._lang, self._queue, self._category, lang.lower() if lang else None,
                       queue.casefold() if queue else None, category.casefold() if category else None)
        top = boost.top
        need = threshold * total * _SLACK  # the raw score times the article's factor that a suggestion needs

        # MaxScore: terms strongest first, each added to every article that has it, while the terms left could
        # still lift an article not seen yet to `need` together. Then the articles seen are finished one at a time,
        # best first, each dropped as soon as it cannot make the list any more; `need` rises to the limit-th best
        # score so far, so a long mail of common words ends up looking into few articles.
        concepts.sort(key=lambda c: -c[0])
        rest = [0.0] * (len(concepts) + 1)
        for i in range(len(concepts) - 1, -1, -1):
            rest[i] = rest[i + 1] + concepts[i][0]
        scores: dict[int, float] = {}
        for i, (_, entries) in enumerate(concepts):
            if len(scores) >= limit and sum(len(ids) for _, ids, _ in entries) * 2 > len(scores):
                need = max(need, min(boost.kth_best(scores, limit), total) * _SLACK)  # worth a look at the best
            if rest[i] * top < need:
                scores = _finish(scores, concepts[i:], rest[i:], need, boost, limit, total)
                break
            _add_all(scores, entries)

        found: list[tuple[float, int]] = []
        for d, raw in scores.items():
            score = min(raw * boost.factor(d) / total, 1.0)
            if score >= threshold:
                found.append((score, d))
        found.sort(key=lambda x: (-x[0], x[1]))
        return [Suggestion(self._articles[d], round(s, 4)) for s, d in found[:limit]]


def _finish(scores: dict[int, float], concepts: list[_Concept], rest: list[float], need: float, boost: _Boost,
            limit: int, total: float) -> dict[int, float]:
    """Complete the scores on the remaining terms, best article first; those that cannot make the list are left out.

    `rest[j]` is the most `concepts[j:]` can add; `need` is what an article's score times its factor must reach.
    """
    bisect_left = bisect.bisect_left
    steps = [(rest[j], entries[0] if len(entries) == 1 else None, entries) for j, (_, entries) in enumerate(concepts)]
    done: dict[int, float] = {}
    best: list[float] = []  # the `limit` best finished scores times their factors, smallest first
    top = boost.top
    for d, v in sorted(scores.items(), key=itemgetter(1), reverse=True):
        if (v + rest[0]) * top < need:
            break  # nor any after it: they are sorted
        f = boost.factor(d)
        for left, single, entries in steps:
            if (v + left) * f < need:
                break
            if single is not None:  # the usual case, inline: a binary search in one posting list
                mass, ids, sats = single
                i = bisect_left(ids, d)
                if i < len(ids) and ids[i] == d:
                    v += mass * sats[i]
                continue
            add = 0.0  # the term's best match among its alternatives
            for mass, ids, sats in entries:
                i = bisect_left(ids, d)
                if i < len(ids) and ids[i] == d and mass * sats[i] > add:
                    add = mass * sats[i]
            v += add
        else:
            if v * f >= need:
                done[d] = v
                if len(best) < limit:
                    heapq.heappush(best, v * f)
                else:
                    heapq.heappushpop(best, v * f)
                if len(best) == limit:
                    need = max(need, min(best[0], total) * _SLACK)
    return done


@dataclass(frozen=True, slots=True)
class _Boost:
    """The factor of each article for one search: its language, queue and category against the request's."""

    langs: list[str]
    queues: list[str | None]
    categories: list[str | None]
    lang: str | None
    queue: str | None
    category: str | None

    @property
    def top(self) -> float:
        """The largest factor any article can have: a bound for what a partial score can still become."""
        return (_QUEUE_FACTOR if self.queue else 1.0) * (_CATEGORY_FACTOR if self.category else 1.0)

    def factor(self, doc: int) -> float:
        f = 1.0
        if self.lang is not None and self.langs[doc] != self.lang:
            f *= _OTHER_LANG_FACTOR
        if self.queue is not None and self.queues[doc] == self.queue:
            f *= _QUEUE_FACTOR
        if self.category is not None and self.categories[doc] == self.category:
            f *= _CATEGORY_FACTOR
        return f

    def kth_best(self, scores: dict[int, float], k: int) -> float:
        """A lower bound of the k-th best final score: the k-th best of the 4k best partial ones, with factors."""
        top = heapq.nlargest(4 * k, scores.items(), key=itemgetter(1))
        return sorted((v * self.factor(d) for d, v in top), reverse=True)[k - 1]
