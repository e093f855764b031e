"""What a matching confidence means: of the suggestions made at that confidence, the share
that were right, measured on held-out data by bench/calibrate.py (Banking77: tuned on
train, reported on test; docs/theme-discovery.md). The inbox shows this share as its "N%
sure", and shows no hint where it is below HINT_PRECISION."""

# The hint is shown only where at least this share of such suggestions are right.
HINT_PRECISION = 0.5

# (lowest confidence, share right from there up to the next step), rising; printed by
# bench/calibrate.py as "steps".
PRECISION_STEPS: tuple[tuple[float, float], ...] = (
    (0.00, 0.203),
    (0.05, 0.260),
    (0.10, 0.319),
    (0.15, 0.370),
    (0.20, 0.427),
    (0.25, 0.507),
    (0.30, 0.583),
    (0.35, 0.636),
    (0.40, 0.698),
    (0.45, 0.729),
    (0.50, 0.764),
    (0.55, 0.789),
    (0.60, 0.824),
    (0.65, 0.865),
    (0.70, 0.883),
    (0.75, 0.898),
    (0.80, 0.917),
    (0.85, 0.937),
    (0.95, 0.960),
)


def precision_at(confidence: float) -> float:
    """The share of suggestions right at this confidence."""
    share = 0.0
    for start, measured in PRECISION_STEPS:
        if confidence + 1e-9 >= start:
            share = measured
    return share


def hint_threshold() -> float:
    """The lowest confidence at which a suggestion is shown."""
    return next((start for start, share in PRECISION_STEPS if share >= HINT_PRECISION), 1.0)
