"""The Spark backend: local or cluster Spark through pyspark, imported lazily.

Tables are temporary views, so nothing is written to a warehouse: registered tables over
cached DataFrames, working tables (`create_table`) over local checkpoints (see there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from zonewatch.engine.base import EngineError
from zonewatch.engine.dialect import translate
from zonewatch.engine.resources import cores

DEFAULT_MASTER = "local[*]"


def local_session(app_name: str = "zonewatch", conf: dict[str, str] | None = None,
                  master: str = DEFAULT_MASTER) -> Any:
    """A Spark session on `master` (`local[*]`: every core here; `spark://host:7077`,
    `yarn`, `k8s://...`: a cluster), UI off, UTC, ANSI off (DuckDB's NULL-on-error casts).

    Cluster settings (executors, memory) come from spark-defaults.conf in $SPARK_CONF_DIR,
    as for spark-submit; `conf` adds settings, e.g. SMALL_DATA_CONF for tests on tiny
    extracts. An existing session of this process is reused (getOrCreate).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on install
        raise RuntimeError(
            "the Spark engine needs pyspark: pip install 'zonewatch[spark]'"
        ) from exc
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # zonewatch shows its own stages
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
    )
    if master.startswith("local"):
        for key, value in local_conf().items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def local_conf() -> dict[str, str]:
    """Settings for a `local` master: the driver is the executor, on this machine's cores.

    Few shuffle partitions (no shuffle of tiny files); JIT compilation by C1 only and the
    serial collector, because on a small machine the C2 compiler's and the parallel
    collector's threads take the cores from the queries (measured: most jobs 3x faster).
    """
    return {
        "spark.sql.shuffle.partitions": str(2 * cores()),
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    }


# For tiny extracts (tests): compiling generated code costs more than the work itself.
SMALL_DATA_CONF = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


class SparkBackend:
    """Runs DuckDB-dialect SQL on a SparkSession after sqlglot translation."""

    dialect = "spark"

    def __init__(self, spark: Any | None = None, master: str = DEFAULT_MASTER) -> None:
        self.spark = spark if spark is not None else local_session(master=master)

    def _sql(self, sql: str) -> Any:
        spark_sql = translate(sql, self.dialect)
        try:
            return self.spark.sql(spark_sql)
        except Exception as exc:  # pyspark raises many unrelated classes
            raise EngineError(str(exc).splitlines()[0], spark_sql) from exc

    def execute(self, sql: str) -> None:
        self._sql(sql).collect()

    def create_table(self, name: str, select_sql: str) -> None:
        # Materialised now, and the view forgets how it was computed: a view over a cached
        # query keeps the whole lineage of the tables it reads, which every later query
        # that names it re-analyses, once per reference (minutes per indicator on a city).
        frame = self._sql(select_sql).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)

    def register_table(self, name: str, data: object) -> None:
        if isinstance(data, (str, Path)):
            frame = self.spark.read.parquet(str(data))
        else:
            table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(
                data, preserve_index=False)
            frame = self.spark.createDataFrame(table)
        frame.cache().createOrReplaceTempView(name)

    def fetch(self, sql: str) -> pd.DataFrame:
        frame = self._sql(sql)
        rows = frame.collect()
        return pd.DataFrame([r.asDict() for r in rows], columns=frame.columns)

    def fetch_arrow(self, sql: str) -> pa.Table:
        return self._sql(sql).toArrow()

    def table_exists(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))

    def columns(self, name: str) -> list[str]:
        return list(self.spark.table(name).columns)

