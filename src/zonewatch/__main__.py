"""`python -m zonewatch` runs the command line, as the `zonewatch` script does."""

from zonewatch.cli import main

if __name__ == "__main__":
    main()
