"""The ``Predictor`` protocol: what ``spinscope predict`` and the analysers need of a model.

Both the neural detector and the non-neural baselines implement it, so every evaluation runs
through the same code. Labels are always technique names of the taxonomy (SemEval-2023);
conversion to an older label set (e.g. PTC for ``ptc-tc``) happens in the output format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from spinscope.core.span import Span


@runtime_checkable
class Predictor(Protocol):
    """A span-level persuasion-technique model."""

    @property
    def name(self) -> str:
        """Short model name, e.g. ``spinscope-me5s`` or ``baseline-tfidf``."""
        ...

    @property
    def version(self) -> str:
        """Exact version string recorded with every result (reproducibility)."""
        ...

    @property
    def techniques(self) -> tuple[str, ...]:
        """Techniques this model can emit (its label coverage)."""
        ...

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        """Labelled technique spans per text; spans may overlap, offsets index each text."""
        ...

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        """Unlabelled persuasion spans per text (span identification, PTC SI)."""
        ...

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        """One technique per given span (technique classification, PTC TC)."""
        ...
