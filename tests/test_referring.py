"""Short names: an index named in full once is "the S&P" after, and the verifier reads it back."""

from __future__ import annotations

from commentary.outputs import ledger_of
from commentary.referring import lengthen, short_name, short_names, shorten
from commentary.render import metrics
from commentary.verify import read_back
from tests.test_articles import golden_path
from tests.test_verify_bindings import article

NAMES = {"S&P 500": "S&P"}


def test_an_index_has_a_short_form_and_a_stock_keeps_its_name() -> None:
    assert short_name("S&P 500", "index") == "S&P"
    assert short_name("Russell 2000", "index") == "Russell"
    assert short_name("Nasdaq Composite", "index") == "Nasdaq"
    assert short_name("Nvidia", "stock") is None
    assert short_name("3M", "stock") is None


def test_a_short_form_that_could_mean_two_instruments_is_not_used() -> None:
    assert short_names([("S&P 500", "index"), ("Apple", "stock")]) == NAMES
    # "S&P" is part of the ETF's name: "the S&P" would not say which.
    assert short_names([("S&P 500", "index"), ("SPDR S&P 500 ETF", "etf")]) == {}


def test_the_first_mention_in_the_prose_is_full_and_titles_keep_their_names() -> None:
    text = (
        "# S&P 500 Plunges 12%\n\n*Mega-Caps vs. the S&P 500 · Data as of ...*\n\n"
        "The S&P 500 fell 12%. The S&P's RSI is 18.\n\n## S&P 500: A Bear Market\n\n"
        "It is the S&P 500's worst day.\n\n## Apple vs. S&P 500: Ahead\n\n"
        "- **S&P 500** (2,386.13): support at today's low.\n"
    )
    short = shorten(text, NAMES)
    assert "# S&P 500 Plunges 12%" in short and "vs. the S&P 500 · Data" in short
    assert "The S&P 500 fell 12%. The S&P's RSI is 18." in short  # already short
    assert "It is the S&P's worst day." in short
    assert "## S&P 500: A Bear Market" in short
    assert "## Apple vs. the S&P: Ahead" in short
    assert "- **S&P** (2,386.13)" in short  # the levels list, after the name was said


def test_the_verifier_reads_the_short_form_as_the_full_name() -> None:
    assert (
        lengthen("On the S&P, the S&P 500's close", NAMES) == "On the S&P 500, the S&P 500's close"
    )
    assert lengthen("The S&P's RSI", NAMES) == "The S&P 500's RSI"


def test_a_wrong_figure_said_of_the_short_form_is_refused() -> None:
    """ "the S&P closed 29.5% below its record close" binds to the S&P 500's drawdown."""
    written = article("default", "2020-03-16", None)
    true = "the S&P closed 29.5% below its record close"
    assert true in written.markdown
    ledger = ledger_of(written)
    assert read_back(written.markdown, ledger).mismatches == []
    planted = written.markdown.replace(true, "the S&P closed 37.6% below its record close")
    assert read_back(planted, ledger).mismatches


def test_the_index_in_a_comparison_is_the_pair_s_index() -> None:
    """In "Amazon vs. the S&P", "the index" is the S&P 500, not Amazon: the index's own
    year-to-date figure passes, Amazon's said of it is refused (before, "the index" read as the
    paragraph's first name, Amazon, and the true sentence was refused)."""
    written = article("default", "2020-04-17", None)
    ledger = ledger_of(written)
    true = "For the year, Amazon is up 28.5%, ahead of the index."
    assert true in written.markdown
    text = written.markdown.replace(true, "Amazon is up 28.5% and the index down 11.0%.")
    assert read_back(text, ledger).mismatches == []
    text = written.markdown.replace(true, "Amazon is up 28.5% and the index up 28.5%.")
    assert read_back(text, ledger).mismatches


def test_short_names_take_the_digits_of_a_name_out_of_the_count() -> None:
    text = golden_path("default", "2020-03-16", None).read_text(encoding="utf-8")
    assert text.count("S&P 500") <= 5  # the headline, two titles, the levels list, the lead
    assert metrics.numbers_per_100_words(text) < metrics.numbers_per_100_words(
        text.replace("the S&P", "the S&P 500").replace("the index", "the S&P 500")
    )
