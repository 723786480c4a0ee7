"""The web room: server-rendered pages for analysts and inspectors on top of the service API.

Every page is built from one context dict that is also served as JSON (same URL + `.json`),
so the UI and the API cannot disagree. Charts are inline SVG drawn here; nothing is loaded
from the internet.
"""
