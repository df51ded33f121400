"""``python -m fichekit``."""

from .cli import main

main()
