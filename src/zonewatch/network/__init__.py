"""Owners, officials, offices and broker networks: who stands behind the rubber flats."""

from zonewatch.network.inputs import MissingInput, input_names, network_inputs
from zonewatch.network.people import rank_people
from zonewatch.network.results import PeopleResults

__all__ = ["MissingInput", "PeopleResults", "input_names", "network_inputs", "rank_people"]
