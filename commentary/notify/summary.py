"""The chat-sized article: headline, lead and levels to watch, rendered from the plan."""

from __future__ import annotations

from dataclasses import dataclass

from ..pipeline import Article
from ..render import render_article, unescape_markdown
from ..render.environment import personas

#: The persona whose chat template serves a persona that has none of its own.
_FALLBACK_PERSONA = "technical-trader"
_LEVELS_HEADING = "## Key Levels to Watch"


@dataclass(frozen=True)
class ChatSummary:
    """What a chat message says, as Markdown fragments (``**bold**`` only).

    ``lead`` may be empty (a persona without a lead paragraph); ``levels`` are the bullet lines
    without their ``- ``; ``url`` links to the full article when one is configured.
    """

    headline: str
    lead: str
    levels: tuple[str, ...]
    url: str | None = None


def chat_summary(article: Article, url: str | None = None) -> ChatSummary:
    """Render the persona's ``chat.md`` for ``article`` and split it into its three parts.

    The template is ours and fixed in shape (a ``#`` headline, paragraphs, then the levels
    heading and one bullet per instrument), so the split is exact.
    """
    plan = article.plan
    persona = plan.persona if plan.persona in _chat_personas() else _FALLBACK_PERSONA
    text = render_article(plan, persona, template="chat.md")
    head, _, levels = text.partition(_LEVELS_HEADING)
    blocks = [block.strip() for block in head.split("\n\n") if block.strip()]
    # Playbook text arrives escaped for Markdown; a chat message shows the characters themselves.
    headline = unescape_markdown(blocks[0].removeprefix("# ").strip() if blocks else plan.series)
    lead = unescape_markdown("\n\n".join(blocks[1:]))
    bullets = tuple(
        unescape_markdown(line.removeprefix("- ").strip())
        for line in levels.splitlines()
        if line.startswith("- ")
    )
    return ChatSummary(headline=headline, lead=lead, levels=bullets, url=url)


def _chat_personas() -> set[str]:
    from ..resources import bundled

    folder = bundled("templates")
    return {name for name in personas() if (folder / name / "chat.md").is_file()}
