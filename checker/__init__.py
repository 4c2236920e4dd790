"""Self-checker for the Hechuan talent measures (standard library only).

`evaluate(profile)` says which tier and programme of a measure a person may qualify for, why
(criterion by criterion, each cited), and what they would receive. See README.md.
"""

from checker.citation import Citation
from checker.engine import Result, evaluate
from checker.errors import ValidationError
from checker.questions import questions

__all__ = ["Citation", "Result", "ValidationError", "evaluate", "questions"]
