"""The benchmark scripts are run by `make bench`, never collected by the default pytest run."""

collect_ignore_glob = ["*.py"]
