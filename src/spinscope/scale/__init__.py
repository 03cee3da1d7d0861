"""Scale-out: corpus analysis on Ray, and file-to-file analysis (Parquet/JSONL → Parquet).

Ray is optional (``pip install 'spinscope[ray]'``) and imported only when a Ray engine runs::

    from spinscope.analyze import analyze_corpus
    from spinscope.scale import RayConnection, RayEngine, RayOptions

    analyze_corpus(store, factory, engine=RayEngine(RayConnection(address="auto"),
                                                    RayOptions(workers=8)))
    analyze_files(["s3://bucket/news/"], "s3://bucket/results", factory, engine=RayEngine())
"""

from spinscope.scale.analyze_files import (
    FilesSummary,
    PartitionSummary,
    analyze_files,
    process_partition,
)
from spinscope.scale.files import FilesOptions, Partition, make_partitions
from spinscope.scale.ray_engine import RayEngine, RayOptions
from spinscope.scale.ray_runtime import RayConnection, connect, require_ray
from spinscope.scale.rows import RESULT_SCHEMA

__all__ = [
    "RESULT_SCHEMA",
    "FilesOptions",
    "FilesSummary",
    "Partition",
    "PartitionSummary",
    "RayConnection",
    "RayEngine",
    "RayOptions",
    "analyze_files",
    "connect",
    "make_partitions",
    "process_partition",
    "require_ray",
]
