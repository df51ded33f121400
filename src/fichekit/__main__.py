"""``python -m fichekit`` (``py -m fichekit`` on Windows): works even when pip's Scripts folder is not on PATH."""

from .cli import main

if __name__ == "__main__":
    main()
