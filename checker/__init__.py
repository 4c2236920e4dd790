"""Self-checker for the Hechuan talent measures (standard library only)."""
