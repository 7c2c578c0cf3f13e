"""The revisions, oldest first: rev0001, rev0002, ..."""
