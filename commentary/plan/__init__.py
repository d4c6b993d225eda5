"""The plan stage: facts and a playbook in, an ``ArticlePlan`` out."""

from .model import ArticlePlan, BottomLine, KeyLevel, Section, Sentence, WatchItem
from .planner import key_levels, plan_article

__all__ = [
    "ArticlePlan",
    "BottomLine",
    "KeyLevel",
    "Section",
    "Sentence",
    "WatchItem",
    "key_levels",
    "plan_article",
]
