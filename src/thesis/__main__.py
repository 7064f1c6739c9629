"""`python -m thesis` runs the command line."""

from thesis.cli import main

main()
