"""zonewatch: find and track corruption zones in public-service registration data.

The package is organised in rooms that data flows through one way:
ingest -> engine -> indicators -> scoring / network -> register -> service / web.
"""

__version__ = "0.1.0"
