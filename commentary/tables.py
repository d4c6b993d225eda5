"""Plain-text tables for the terminal: the facts ledger at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .rules import Rule


def _number(value: Any, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def ledger_table(ledger: dict[str, Any]) -> str:
    """A compact, fixed-width summary of a facts ledger (``build_ledger``'s document)."""
    lines = [f"As of {ledger['as_of']} ({ledger['generator']})", ""]
    for item in ledger["instruments"]:
        states = item["states"]
        momentum, averages = states["momentum"], states["averages"]
        extremes = states["levels"]["extremes"]
        unit = "" if item["units"] == "points" else "$"
        lines.append(f"{item['name']} ({item['symbol']})  close {unit}{_number(item['close'])}")
        rows = [
            ("RSI 14", f"{_number(momentum['rsi'], 1)} ({momentum['rsi_zone']})"),
            ("MACD", f"{_number(momentum['macd'])} vs signal {_number(momentum['macd_signal'])}"),
            ("ADX 14", f"{_number(momentum['adx'], 1)} ({momentum['trend_strength']})"),
            (
                "SMA 50/200",
                f"{_number(averages['sma_50'])} / {_number(averages['sma_200'])} "
                f"({averages['cross'] or 'n/a'})",
            ),
            ("Stacking", f"{averages['stacking']}: {' > '.join(averages['order'])}"),
            (
                "All-time high",
                f"{_number(extremes['all_time_high'])} on {extremes['all_time_high_date']} "
                f"({_number(extremes['pct_from_all_time_high'], 1)}%)",
            ),
        ]
        for channel in states["trend"]["channels"].values():
            rows.append(
                (
                    f"Channel {channel['horizon']}",
                    f"{channel['direction']} {_number(channel['slope_pct_per_year'], 1)}%/yr",
                )
            )
        for name in ("support", "resistance"):
            level = states["levels"][name]
            text = f"{_number(level['price'])} ({level['touches']} touches)" if level else "none"
            rows.append((name.capitalize(), text))
        for fact in item["facts"]:
            rows.append(("Fact", fact.get("text", fact["id"])))
        lines += [f"  {label:<14} {value}" for label, value in rows]
        lines.append("")
    for pair in ledger["comparisons"]:
        states = pair["states"]
        current, record = states["current"], states["record"]
        lines.append(f"{pair['symbol']} vs {pair['benchmark']}")
        if current:
            side = "ahead of" if current["outperforming"] else "behind"
            lines.append(
                f"  {'Streak':<14} {current['sessions']} sessions {side}, "
                f"avg {_number(current['average_spread_bps'], 1)} bp/day"
            )
        if record:
            lines.append(f"  {'Record':<14} {record['sessions']} sessions, ended {record['end']}")
        lines.append(f"  {'YTD gap':<14} {_number(states['ytd_gap_pct'])} points")
        for fact in pair["facts"]:
            lines.append(f"  {'Fact':<14} {fact.get('text', fact['id'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def rules_table(rules: Sequence[Rule]) -> str:
    """One line a rule: id, section, polarity, message type, and what triggers it."""
    width = max(len(r.id) for r in rules)
    lines = [f"{'id':<{width}}  {'section':<11} {'polarity':<8} {'message':<13} triggers"]
    for r in rules:
        polarity = r.polarity.value
        lines.append(
            f"{r.id:<{width}}  {r.section:<11} {polarity:<8} {r.message:<13} {r.description}"
        )
    return "\n".join(lines) + "\n"
