"""The state voter file and vote history, kept in DuckDB; the districts drawn from it."""
