"""Qt item models adapting the pure-Python query results of reports.queries and the store."""
