"""Outputs people hand on, built from one analysis run: GeoJSON, FollowTheMoney entities,
open data with small-cell suppression, PDF field sheets and property dossiers.

Each product is a function of the run (`zonewatch.rundir.RunDir`) returning bytes or
an iterator of records; `zonewatch export` writes them to files and `/api/export/...` serves
them, so a file from the command line and a download from the UI are the same thing.
"""
