"""The modules here are checked by ``mypy tests/typing``, never run by pytest."""

collect_ignore_glob = ["test_*.py"]
