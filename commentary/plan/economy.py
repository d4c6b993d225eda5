"""Economy: the editor's last pass. An article over its budget of figures (numbers per 100 words,
``WritingSettings.numbers_per_100_words``) loses its least newsworthy sentences, one at a time,
until it is within budget or nothing more can go.

What never goes: the lead, the bottom lines and the levels (the templates' own), a sentence that
states its section's theme (the section title names it), and a section's last ``KEEP``
sentences. A
sentence that goes is gone from the plan, so the ledger and the verifier see the article as
printed. A paragraph's contrast words are worked out again without it ("Even so" must still
turn against the sentence now before it).
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import replace

from .model import ArticlePlan, with_contrasts
from .story import news_weight

#: A section keeps at least this many of its sentences: a cut makes it leaner, not a stub.
KEEP = 2


def economize(
    plan: ArticlePlan,
    render: Callable[[ArticlePlan], str],
    density: Callable[[str], float],
    budget: float,
) -> tuple[ArticlePlan, str]:
    """The plan and its text, cut to ``budget`` (``density`` measures a text's figures). A cut
    that does not lower the density (a sentence of words, no figures) is not made."""
    text = render(plan)
    rate, kept = density(text), set[tuple[str, str]]()
    while rate > budget:
        found = least_news(plan, kept)
        if found is None:
            break
        cut = without(plan, *found)
        cut_text = render(cut)
        cut_rate = density(cut_text)
        if cut_rate < rate:
            plan, text, rate = cut, cut_text, cut_rate
        else:
            s, p, k = found
            kept.add((plan.sections[s].subject, plan.sections[s].paragraphs[p][k].key))
    return plan, text


def least_news(plan: ArticlePlan, kept: Set[tuple[str, str]]) -> tuple[int, int, int] | None:
    """Where ``plan``'s least newsworthy sentence that may go is (section, paragraph, place);
    None when none may. Ties go to the later sentence: the first sections carry the story."""
    least: tuple[float, int, int, int] | None = None
    for s, section in enumerate(plan.sections):
        # A comparison's race (the day's spread) is a sentence the templates always write.
        race = section.spread_bps is not None
        if sum(len(p) for p in section.paragraphs) + race <= KEEP:
            continue
        for p, paragraph in enumerate(section.paragraphs):
            for k, sentence in enumerate(paragraph):
                if section.theme is not None and section.theme in sentence.facts:
                    continue
                if (section.subject, sentence.key) in kept:
                    continue
                weight = max(news_weight(f) for f in sentence.facts)
                if least is None or weight <= least[0]:
                    least = (weight, s, p, k)
    return None if least is None else least[1:]


def without(plan: ArticlePlan, s: int, p: int, k: int) -> ArticlePlan:
    """``plan`` without sentence ``k`` of paragraph ``p`` of section ``s``."""
    section = plan.sections[s]
    paragraphs = list(section.paragraphs)
    left = paragraphs[p][:k] + paragraphs[p][k + 1 :]
    if left:
        paragraphs[p] = with_contrasts(left)
    else:
        del paragraphs[p]
    sections = list(plan.sections)
    sections[s] = replace(section, paragraphs=tuple(paragraphs))
    return replace(plan, sections=tuple(sections))
