"""The one error type of the checker: invalid input, listing every bad field."""

from __future__ import annotations


class ValidationError(ValueError):
    """Raised for any bad input; `.errors` is a list of {"field": path, "message": reason}."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = [{"field": str(e["field"]), "message": str(e["message"])} for e in errors]
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))
