"""Rapport's domain: form definitions, answers, scoring and storage. No Qt, no WeasyPrint."""
