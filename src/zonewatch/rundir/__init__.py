"""The analysis run directory, read: one `RunDir` per version, one policy for when a
rewritten folder replaces it (`open_run`). Files and columns: `contract/run_files.yaml`."""

from zonewatch.rundir.reader import RunDir, records
from zonewatch.rundir.served import SETTLE_SECONDS, open_run

__all__ = ["SETTLE_SECONDS", "RunDir", "open_run", "records"]
