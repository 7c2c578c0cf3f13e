"""Reusable widgets: question editors, one per question type family."""
