"""Inspection plans (capacity-bounded, route-grouped visits) and recorded outcomes.

Outcomes are exported in the data contract's `inspections` format, which
`zonewatch analyze --inspections FILE` reads to calibrate the next analysis.
"""
