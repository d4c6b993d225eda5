"""commentary: technical-analysis market commentary written from price data."""

__version__ = "0.1.0"
