"""Economy: the editor's last pass. An article over its budget of figures (numbers per 100 words,
``WritingSettings.numbers_per_100_words``) loses its least newsworthy sentences until it is within
budget or nothing more can go.

What never goes: the lead, the bottom lines and the nearest levels (the templates' own), a
sentence that states its section's theme (the section title names it), and a section's last
``KEEP`` sentences. A sentence that carries figures no more densely than the article does is
kept: cutting it would raise the density, not lower it. A sentence that goes is gone from the
plan, so the ledger and the verifier see the article as printed. A paragraph's contrast words
are worked out again without it ("Even so" must still turn against the sentence now before it).

An article within budget costs no more than its one render. Otherwise the render reports each
sentence's printed text (``render_article``'s ``heard``), the cuts are chosen from those counts,
and the cut plan is rendered again. An article the cuts cannot bring within budget is
rendered ``tight`` in the same pass: its levels list gives the nearest level on each side and
leaves the next ones out, a comparison's race and the other instruments' sessions are said in
words ("Nvidia edged higher"), and the closing paragraph ranks the charts from their peaks
without figures. Each of those takes out text far denser than any budget, so it always lowers
the count. A tight article still over budget may then cut a section down to its last
``TIGHT_KEEP`` sentence, and as a last resort the sentence under a title that names a standing
theme in words ("New Bull Market", "The Laggard Here"), down to the section's bottom line;
today's news under its title ("A death cross formed today") stays. A persona without section
titles (the brief) has no title to keep a theme sentence for: there it may go too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from .model import ArticlePlan, with_contrasts
from .story import is_standing, news_weight
from .takeaways import spoken

#: A section keeps at least this many of its sentences: a cut makes it leaner, not a stub.
KEEP = 2
#: ... and at least this many once the article is tight and still over: a short page (one
#: ticker on a quiet day) has little body, and its densest sentence goes before its budget does.
TIGHT_KEEP = 1
#: Passes at most: each costs a render (one of them may be the race's sessions going).
ROUNDS = 7

#: A render that reports each sentence's printed text into the dict it is given.
Render = Callable[[ArticlePlan, dict[tuple[str, str], str]], str]
#: The figures and the words in a text: (numbers, words).
Measure = Callable[[str], tuple[int, int]]


def economize(
    plan: ArticlePlan, render: Render, article: Measure, sentence: Measure, budget: float
) -> tuple[ArticlePlan, str]:
    """The plan and its text, cut to ``budget`` figures per 100 words. ``article`` measures a
    whole article's prose, ``sentence`` one sentence. A cut can move a figure rather than drop
    it (a price first quoted in the sentence that went is quoted by the bottom line instead), so
    the pass runs again on what it printed, ``ROUNDS`` times at most."""
    heard: dict[tuple[str, str], str] = {}
    text = render(plan, heard)
    # A persona without section titles (the brief's "**Amazon**: ▼ bearish") has no title
    # naming a section's theme: at the last resort its theme sentence may go like any other.
    titled = "\n## " in text
    for _ in range(ROUNDS):
        counts = article(text)
        if not _over(counts, budget):
            break
        if plan.race_moves:
            # The race's two sessions repeat moves the article gives elsewhere: they go first.
            plan = replace(plan, race_moves=False)
            heard = {}
            text = render(plan, heard)
            continue
        keep = TIGHT_KEEP if plan.tight else KEEP
        cuts, left = _cuts(plan, heard, counts, sentence, budget, keep)
        if not cuts and plan.tight:
            # The last resort: a title has named a standing theme in words ("New Bull Market"),
            # so the sentence under it, which gives its figures, may go too.
            cuts, left = _cuts(
                plan, heard, counts, sentence, budget, keep=0, themes=True, titled=titled
            )
            if not cuts and plan.spare:
                break
            if not cuts:
                # Nothing left to cut: the stops go by name where the name says which level
                # it is ("a close above Wednesday's close"), in one more render.
                plan = replace(plan, spare=True)
                heard = {}
                text = render(plan, heard)
                continue
        if cuts:
            plan = without(plan, cuts)
        if _over(left, budget):
            # Past what cuts reach: the tight list, the race in words and the closing without
            # its figures, in the same render. Each takes out text far denser than any budget
            # (", then $44.59 (the April 15 swing low)"), so it always lowers the count.
            plan = replace(plan, tight=True)
        heard = {}
        text = render(plan, heard)
    return plan, text


def _density(counts: tuple[int, int]) -> float:
    numbers, words = counts
    return 100 * numbers / max(words, 1)


def _over(counts: tuple[int, int], budget: float) -> bool:
    return _density(counts) > budget


def _cuts(
    plan: ArticlePlan,
    heard: dict[tuple[str, str], str],
    counts: tuple[int, int],
    sentence: Measure,
    budget: float,
    keep: int = KEEP,
    themes: bool = False,
    titled: bool = True,
) -> tuple[list[tuple[int, int, int]], tuple[int, int]]:
    """The sentences to cut (section, paragraph, place), least newsworthy first, until the
    counts say the article is within budget, each section keeping ``keep`` sentences (and, unless
    ``themes``, the sentence that states its theme); and the counts once they are cut."""
    numbers, words = counts
    cuts: list[tuple[int, int, int]] = []
    left = Counter({s: _sentences(plan, s) for s in range(len(plan.sections))})
    for s, p, k in _least_news_first(plan, themes, titled):
        if not _over((numbers, words), budget):
            break
        said = heard.get((plan.sections[s].subject, plan.sections[s].paragraphs[p][k].key))
        if said is None or left[s] <= keep:
            continue
        n, w = sentence(said)
        if n * words <= numbers * w:  # no denser than the article: cutting it would not help
            continue
        cuts.append((s, p, k))
        left[s] -= 1
        numbers, words = numbers - n, words - w
    return cuts, (numbers, words)


def _sentences(plan: ArticlePlan, s: int) -> int:
    """How many sentences section ``s`` says; a comparison's race (the day's spread) is one the
    templates always write."""
    section = plan.sections[s]
    return sum(len(p) for p in section.paragraphs) + (section.spread_bps is not None)


def _least_news_first(
    plan: ArticlePlan, themes: bool = False, titled: bool = True
) -> list[tuple[int, int, int]]:
    """Where each sentence that may go is (section, paragraph, place), least newsworthy first;
    ties go to the later sentence (the first sections carry the story). With ``themes``, a
    sentence stating a standing theme may go, and any theme sentence when no title names it
    (not ``titled``)."""
    found = []
    for s, section in enumerate(plan.sections):
        for p, paragraph in enumerate(section.paragraphs):
            for k, sentence in enumerate(paragraph):
                if (
                    section.theme is not None
                    and section.theme in sentence.facts
                    and not (themes and (not titled or all(is_standing(f) for f in sentence.facts)))
                ):
                    continue
                weight = max(news_weight(f) for f in sentence.facts)
                found.append((weight, -s, -p, -k))
    return [(-s, -p, -k) for _, s, p, k in sorted(found)]


def without(plan: ArticlePlan, cuts: list[tuple[int, int, int]]) -> ArticlePlan:
    """``plan`` without the sentences at ``cuts`` (section, paragraph, place)."""
    gone = set(cuts)
    sections = list(plan.sections)
    for s in {s for s, _, _ in cuts}:
        section = sections[s]
        paragraphs = []
        for p, paragraph in enumerate(section.paragraphs):
            kept = [x for k, x in enumerate(paragraph) if (s, p, k) not in gone]
            if kept:
                paragraphs.append(with_contrasts(kept) if len(kept) < len(paragraph) else paragraph)
        # A takeaway goes with the sentence that stated its situation.
        sections[s] = spoken(replace(section, paragraphs=tuple(paragraphs)), plan.lead)
    return replace(plan, sections=tuple(sections))
