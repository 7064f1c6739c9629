"""How sure is a score, and what does it hinge on: Monte Carlo over a compiled scorecard.

One Saltelli design (see `thesis.engine.sensitivity`) serves everything: its first N rows are the
Monte Carlo sample of the score (scrambled Sobol by default), and all N (k + 2) rows give the
Sobol indices that rank which inputs' uncertainty matters. The P10-P90 tornado is one more
evaluation of 2k rows. "P10" is the 10th percentile: 10% of samples score lower.
"""

from __future__ import annotations

import numpy as np

from thesis.engine.compile import Compiled
from thesis.engine.sampling import Method, SeedLike, generator, uniform_design
from thesis.engine.sensitivity import indices_from_outputs, pick_freeze, quantiles, tornado
from thesis.models.scorecard import Scorecard
from thesis.result import Driver, ScoreDistribution, TornadoBar, Uncertainty

DEFAULT_SAMPLES = 4096
DRIVER_SHARE = 0.05
"""An input whose total index is below this explains too little variance to name as a driver
(assumption: 5%, the usual screening threshold for total Sobol indices)."""
TOP_DRIVERS = 3
HISTOGRAM_BINS = 50


def verdict_index(card: Scorecard, scores: np.ndarray) -> np.ndarray:
    """Index into `card.verdicts` (highest band first) for each score."""
    mins = np.array([v.min for v in card.verdicts])
    index: np.ndarray = np.sum(scores[:, np.newaxis] < mins[np.newaxis, :], axis=1)
    return index


def analyse(compiled: Compiled, *, samples: int = DEFAULT_SAMPLES, seed: SeedLike = 0,
            method: Method = "sobol", bootstrap: int = 100) -> Uncertainty:
    """The score's distribution, verdict probabilities, Sobol indices, tornado and drivers."""
    card = compiled.scorecard
    k = len(compiled.inputs)
    rng = generator(seed)
    design = uniform_design(samples, 2 * k, rng, method)
    n = design.n
    values = compiled.draw(design.points[:, :k])
    other = compiled.draw(design.points[:, k:])
    outputs = compiled.composite(pick_freeze(values, other))
    scores = outputs[:n]
    base = compiled.base_case()
    base_score = float(compiled.composite(base)[0])
    base_verdict = card.verdict(base_score).label
    bands = verdict_index(card, scores)
    probabilities = {v.label: float(np.mean(bands == i)) for i, v in enumerate(card.verdicts)}
    p10, p50, p90 = np.percentile(scores, [10, 50, 90])
    distribution = ScoreDistribution(
        mean=float(scores.mean()), sd=float(scores.std(ddof=1)) if n > 1 else 0.0,
        p10=float(p10), p50=float(p50), p90=float(p90),
        verdict_probabilities=probabilities,
        flip_probability=1.0 - probabilities[base_verdict],
        histogram=np.histogram(scores, bins=HISTOGRAM_BINS, range=(0, 100))[0].tolist(),
    )
    names = compiled.names
    indices = indices_from_outputs(names, outputs, n, bootstrap=bootstrap, confidence=0.95,
                                   rng=rng)
    draws = [inp.draw for inp in compiled.inputs]
    bars = tornado(compiled.composite, base[0], quantiles(draws, 0.1), quantiles(draws, 0.9),
                   names)
    by_name = {inp.path: inp for inp in compiled.inputs}
    tornado_bars = [TornadoBar(input=b.name, low=by_name[b.name].describe(b.low_value),
                               high=by_name[b.name].describe(b.high_value),
                               score_at_low=b.at_low, score_at_high=b.at_high)
                    for b in bars if b.swing > 0]
    questions = {path: item.question for path, (_, item) in compiled.feeding().items()}
    drivers = [
        Driver(input=name, question=questions.get(name, ""), given=by_name[name].describe(),
               first_order=float(indices.first[j]), total=float(indices.total[j]),
               first_order_interval=(float(indices.first_interval[j, 0]),
                                     float(indices.first_interval[j, 1])),
               total_interval=(float(indices.total_interval[j, 0]),
                               float(indices.total_interval[j, 1])))
        for j, name in enumerate(names)
    ]
    drivers.sort(key=lambda d: d.total, reverse=True)
    return Uncertainty(
        samples=n, requested_samples=samples, method=method,
        seed=seed if isinstance(seed, int) else None, sample_note=design.note,
        evaluations=int(outputs.size), bootstrap=bootstrap, base_score=base_score,
        base_verdict=base_verdict, distribution=distribution, drivers=drivers,
        tornado=tornado_bars, diligence=diligence(drivers, indices.variance),
    )


def diligence(drivers: list[Driver], variance: float) -> list[str]:
    """What to find out next, in words: the inputs whose uncertainty drives the score."""
    if variance <= 0:
        return ["nothing: every input is known, so the score is certain"]
    named = [d for d in drivers if d.total >= DRIVER_SHARE][:TOP_DRIVERS]
    if not named:
        return ["no single input drives the score: the uncertainty is spread thinly"]
    return [f"the score hinges on {d.input} (total Sobol index {d.total:.2f}, given as {d.given}): "
            f"{d.question}" for d in named]
