"""The states stage: indicators as of a date, classified into enums and exact numbers."""

from .classify import classify, classify_pair
from .model import (
    AverageState,
    BandPosition,
    BandState,
    CrossConfiguration,
    LevelState,
    MomentumState,
    PairStates,
    PerformanceState,
    RatingLabel,
    RatingState,
    Stacking,
    SymbolStates,
    TrendState,
    TrendStrength,
    VolumeState,
    VolumeZone,
    Zone,
)

__all__ = [
    "AverageState",
    "BandPosition",
    "BandState",
    "CrossConfiguration",
    "LevelState",
    "MomentumState",
    "PairStates",
    "PerformanceState",
    "RatingLabel",
    "RatingState",
    "Stacking",
    "SymbolStates",
    "TrendState",
    "TrendStrength",
    "VolumeState",
    "VolumeZone",
    "Zone",
    "classify",
    "classify_pair",
]
