"""The verdicts a criterion, a tier or a programme can have, how they combine, and the outcome
of one criterion (shared by the engine, the operators and the summary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

MET, NOT_MET, REVIEW, UNANSWERED = "met", "not_met", "review", "unanswered"
VERDICT_LABELS = {MET: "符合", NOT_MET: "不符合", REVIEW: "需评审", UNANSWERED: "待补充"}
# How good a verdict is for the person (used to combine any-of alternatives).
GOODNESS = {MET: 3, REVIEW: 2, UNANSWERED: 1, NOT_MET: 0}
MISSING = (NOT_MET, UNANSWERED)  # what a tier still needs


def combine_all(verdicts) -> str:
    """All-of: any not_met → not_met; else any unanswered → unanswered; else any review → review."""
    verdicts = set(verdicts)
    for v in (NOT_MET, UNANSWERED, REVIEW):
        if v in verdicts:
            return v
    return MET


def combine_any(verdicts) -> str:
    """Any-of: the best alternative counts (met > review > unanswered > not_met)."""
    return max(verdicts, key=GOODNESS.__getitem__, default=NOT_MET)


@dataclass(eq=False)
class Outcome:
    """The verdict of one criterion; values/reason are Chinese text, built on demand."""

    criterion: dict
    verdict: str
    _explain: Callable[[], tuple[str, str]]

    @property
    def explained(self) -> tuple[str, str]:
        return self._explain()

    def finding(self) -> dict:
        values, reason = self._explain()
        return {
            "criterion": self.criterion["id"],
            "label": self.criterion["label"],
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABELS[self.verdict],
            "values": values,
            "reason": reason,
            "citation": self.criterion["citation"].to_dict(),
        }
