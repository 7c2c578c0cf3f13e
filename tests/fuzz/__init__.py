"""The fuzz suite: every command that reads a file, given hostile files (corpus.py) and
generated ones (strategies.py), exits 0 or 2 with a clear message, within 10 s and 500 MB,
and changes nothing when it refuses (run_command.py says exactly what is checked)."""
