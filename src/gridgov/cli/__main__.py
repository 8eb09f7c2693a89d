"""``python -m gridgov.cli``: the same as the ``gridgov`` console script."""

from gridgov.cli import main

if __name__ == "__main__":  # pragma: no branch - always true when run as a module
    main()
