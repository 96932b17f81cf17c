"""Cluster one labelled bench dataset with Splink's standard model and write each record's cluster.

Why this exists: the accuracy bench (bench/accuracy.ts) scores idgraph against the same truth files
as a well-known probabilistic linker, so a reader can see how idgraph's rules compare with an
unsupervised Fellegi-Sunter model trained on the data itself. This script is the Splink half; the
bench scores its output with the same pairwise scorer it uses for idgraph.

Usage:
    run_splink.py --model febrl --link-type dedupe_only --threshold 0.9 --out clusters.csv \
        dataset1=bench/datasets/febrl/dataset1.csv

Each SOURCE=FILE names a CSV and the source its records belong to. The output CSV has the columns
source,record_id,cluster_id; records with one cluster_id are one entity in Splink's view.
"""

import argparse
import csv
import sys

from splink import DuckDBAPI, Linker

from models import MODELS


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line; every input is SOURCE=FILE so the output can key records by source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=sorted(MODELS))
    parser.add_argument("--link-type", required=True, choices=["dedupe_only", "link_only", "link_and_dedupe"])
    parser.add_argument("--threshold", type=float, default=0.9, help="match probability to cluster at")
    parser.add_argument("--out", required=True, help="CSV to write source,record_id,cluster_id to")
    parser.add_argument("inputs", nargs="+", metavar="SOURCE=FILE")
    args = parser.parse_args(argv)
    args.inputs = [split_input(spec, parser) for spec in args.inputs]
    return args


def split_input(spec: str, parser: argparse.ArgumentParser) -> tuple[str, str]:
    """SOURCE=FILE -> (source, file), or a usage error naming the bad argument."""
    source, sep, path = spec.partition("=")
    if not sep or not source or not path:
        parser.error(f"input {spec!r}: expected SOURCE=FILE")
    return source, path


def cluster(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """Train the model on the inputs, score the blocked pairs and cluster them at the threshold."""
    model = MODELS[args.model]
    sources = [source for source, _ in args.inputs]
    frames = [model.read(path) for _, path in args.inputs]
    linker = Linker(
        frames,
        model.settings(args.link_type),
        DuckDBAPI(),
        input_table_aliases=sources,
    )
    model.train(linker)
    pairs = linker.inference.predict(threshold_match_probability=args.threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pairs, threshold_match_probability=args.threshold
    ).as_pandas_dataframe()
    if "source_dataset" not in clusters.columns:
        clusters["source_dataset"] = sources[0]
    return [
        (str(row.source_dataset), str(row.unique_id), str(row.cluster_id))
        for row in clusters.itertuples(index=False)
    ]


def write_clusters(path: str, rows: list[tuple[str, str, str]]) -> None:
    """One line per record, in the key the bench's truth files use."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["source", "record_id", "cluster_id"])
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    # Splink logs its training steps to stderr; the bench shows them only when a run fails.
    args = parse_args(argv)
    write_clusters(args.out, cluster(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
