"""The scale benchmark (make bench): outside the default test run."""
