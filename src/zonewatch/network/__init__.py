"""Owners, officials, offices and broker networks: who stands behind the rubber flats."""

from zonewatch.network.params import catalog as indicator_catalog
from zonewatch.network.people import rank_people
from zonewatch.network.results import PeopleResults

__all__ = ["PeopleResults", "indicator_catalog", "rank_people"]
