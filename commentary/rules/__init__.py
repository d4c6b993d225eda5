"""The facts stage: a rules engine over the states.

Built-in rules are a TOML file registered the same way as a user's (``--rules FILE``).
"""

from .engine import RuleBook, matches, render_text, resolve
from .model import Fact, Polarity, Rule

__all__ = ["Fact", "Polarity", "Rule", "RuleBook", "matches", "render_text", "resolve"]
