"""Probe rows that vary only the Elo-difference feature."""

import numpy as np


def elo_sweep_rows(x, elo_index, steps=21):
    """Return rows equal to the column medians of ``x`` except the Elo feature.

    The Elo feature runs from its 5th to its 95th percentile in ``x``.
    """
    median = np.nanmedian(x, axis=0)
    low, high = np.nanpercentile(x[:, elo_index], [5, 95])
    rows = np.tile(median, (steps, 1)).astype(np.float32)
    rows[:, elo_index] = np.linspace(low, high, steps, dtype=np.float32)
    return rows


def increasing_step_share(values):
    """Return the share of consecutive steps that do not decrease."""
    return float(np.mean(np.diff(values) >= -1e-7))
