"""Name events by salient terms: class-based TF-IDF over word stems, per language.

Words of 4+ letters, minus stop words, are reduced to a 6-letter prefix so that inflected
Russian and Ukrainian forms count together (``зерна``, ``зерно`` → ``зерно``-ish); the
surface form shown is the most frequent one. Title words count three times. A term scores
``tf(term, event) / words(event) * log(1 + events / events_with(term)) * articles_with(term)``
(a term several of the event's articles use describes the event). The name uses the
event's English articles when it has some (readable in an English report), else its most
frequent language.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["TermStats", "event_name", "salient_terms", "term_stats"]

STEM = 6
TITLE_WEIGHT = 3
KEEP_TERMS = 300  # per event and language (bounded memory on long-running events)
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)

_STOP_WORDS = """
about after again against also although among another because been before being between both
could does doing down during each either even ever every from further have having here hers
into itself just last least less made make many more most much must near never next none only
other ours over said same says should since some such than that their theirs them then there
these they this those through thus today told under until upon very were what when where which
while whom whose will with within without would year years your monday tuesday wednesday
thursday friday saturday sunday according week reporting editing also officials после перед
более было были быть будет будут ведь впрочем всего всех говорит года году даже другие если
есть еще ещё здесь которые который которая которое когда кроме между может можно надо него нему
ними однако около опять очень пока почему потому потом поэтому при против раз разве себя сейчас
сказал сказала слишком снова также такой теперь тогда только чтобы чтоб этого этой этом этот
эти уже через словам заявил заявила время після перед більш було були бути буде будуть адже
всього всіх каже року році навіть інші якщо також який яка яке які коли крім між може можна
треба нього ними однак близько знову дуже поки чому тому потім тому при проти себе зараз сказав
сказала занадто тепер тоді тільки щоби цього цієї цьому цей ці вже через словами заявив заявила
час його їхні
"""
_MONTHS = """january february march april june july august september october november december
января февраля марта апреля июня июля августа сентября октября ноября декабря
січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"""
STOP = frozenset(_STOP_WORDS.split()) | frozenset(_MONTHS.split())


@dataclass
class TermStats:
    """Stem counts and surface forms of one event, per language."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)  # lang -> stem -> weight
    surface: dict[str, Counter[str]] = field(default_factory=dict)  # stem -> form -> n
    words: Counter[str] = field(default_factory=Counter)  # lang -> weighted words
    presence: Counter[str] = field(default_factory=Counter)  # stem -> articles using it
    forms: dict[str, str] = field(default_factory=dict)  # stem -> display form (compacted)

    def add(self, text: str, title: str | None, lang: str | None) -> None:
        lang = lang or "?"
        c = self.counts.setdefault(lang, Counter())
        seen: set[str] = set()
        for weight, part in ((TITLE_WEIGHT, title or ""), (1, text)):
            for m in _WORD.finditer(part):
                w = m.group()
                low = w.casefold()
                if low in STOP:
                    continue
                stem = low[:STEM]
                c[stem] += weight
                self.words[lang] += weight
                self.surface.setdefault(stem, Counter())[w] += 1
                seen.add(stem)
        self.presence.update(seen)

    def merge(self, other: TermStats) -> None:
        for lang, c in other.counts.items():
            self.counts.setdefault(lang, Counter()).update(c)
        for stem, forms in other.surface.items():
            self.surface.setdefault(stem, Counter()).update(forms)
        self.words.update(other.words)
        self.presence.update(other.presence)
        for stem, form in other.forms.items():
            self.forms.setdefault(stem, form)

    def trim(self) -> None:
        """Keep the most frequent stems only."""
        if sum(len(c) for c in self.counts.values()) <= 2 * KEEP_TERMS * len(self.counts):
            return  # trim in bursts: cheap, and slow-growing terms get a chance to add up
        for lang, c in self.counts.items():
            if len(c) > KEEP_TERMS:
                self.counts[lang] = Counter(dict(c.most_common(KEEP_TERMS)))
        kept = {s for c in self.counts.values() for s in c}
        self.surface = {s: f for s, f in self.surface.items() if s in kept}
        self.presence = Counter({s: n for s, n in self.presence.items() if s in kept})

    def compact(self, k: int = 20) -> None:
        """Keep the ``k`` best stems per language and their display form only: a closed
        event's naming data in a few kilobytes (all closed events wait for the final df)."""
        for lang, c in self.counts.items():
            self.counts[lang] = Counter(dict(c.most_common(k)))
        kept = {s for c in self.counts.values() for s in c}
        self.forms = {s: _pick_form(f) for s, f in self.surface.items() if s in kept}
        self.surface = {}
        self.presence = Counter({s: n for s, n in self.presence.items() if s in kept})

    def stems(self) -> set[str]:
        return {s for c in self.counts.values() for s in c}


def term_stats(items: Iterable[tuple[str, str | None, str | None]]) -> TermStats:
    """Stats of (text, title, lang) triples."""
    stats = TermStats()
    for text, title, lang in items:
        stats.add(text, title, lang)
    return stats


def _pick_form(forms: Counter[str]) -> str:
    """The most frequent surface form, capitalised if the word mostly is."""
    form = forms.most_common(1)[0][0]
    capital = sum(n for f, n in forms.items() if f[:1].isupper())
    return form[:1].upper() + form[1:] if capital * 2 >= sum(forms.values()) else form.lower()


def _form(stats: TermStats, stem: str) -> str:
    if stem in stats.forms:
        return stats.forms[stem]
    forms = stats.surface.get(stem)
    return _pick_form(forms) if forms else stem


def salient_terms(stats: TermStats, df: Mapping[str, int], n_events: int, k: int = 8,
                  lang: str | None = None) -> list[str]:
    """The ``k`` best terms of one event (surface forms), from ``lang`` or all languages."""
    langs = [lang] if lang in stats.counts else list(stats.counts)
    scores: dict[str, float] = {}
    for lg in langs:
        total = max(stats.words[lg], 1)
        for stem, tf in stats.counts[lg].items():
            idf = math.log(1.0 + n_events / max(df.get(stem, 1), 1))
            # Terms used by several of the event's articles describe the event, not one take.
            spread = stats.presence.get(stem, 1)
            scores[stem] = scores.get(stem, 0.0) + tf / total * idf * spread
    best = sorted(scores, key=lambda s: (-scores[s], s))[:k]
    return [_form(stats, s) for s in best]


def event_name(stats: TermStats, df: Mapping[str, int], n_events: int, k: int = 3) -> str:
    """A short name: the best terms of the event's English part, else of its main language."""
    if not stats.counts:
        return "(no text)"
    lang = "en" if "en" in stats.counts else max(stats.words, key=lambda x: stats.words[x])
    terms = salient_terms(stats, df, n_events, k, lang)
    return " · ".join(terms) if terms else "(no salient terms)"
