"""Stand-alone measurement scripts; not tests, not shipped."""
