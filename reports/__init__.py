"""Reports: aggregation queries, charts, Jinja2 templates and PDF rendering. No Qt."""
