"""Evaluation of analysis runs against generator labels, beside the police baselines.

`evaluate_run(run_dir, labels_dir, extract=None, as_of=None) -> dict` computes every figure;
the pure metric functions live in `zonewatch.evaluation.metrics`. See docs/evaluation.md.
"""

from zonewatch.evaluation.report import evaluate_run, format_report

__all__ = ["evaluate_run", "format_report"]
