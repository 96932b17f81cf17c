"""Splink's standard person model for its own fake_1000 set: names, birth date, city and email,
all of them noisy, with no identifier that settles a match alone."""

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from models.frames import read_text_csv

# Share of true pairs the exact rules below are assumed to find: the set's duplicates are
# corrupted often, so about half keep name and birth date, or email, intact.
DETERMINISTIC_RECALL = 0.5


def read(path: str) -> pd.DataFrame:
    """unique_id is already the record id; the cluster column is the label, kept out of the model."""
    return read_text_csv(path, "unique_id").drop(columns=["cluster"])


def settings(link_type: str) -> SettingsCreator:
    """Names with term frequencies, birth date, city with term frequencies, email."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("email"),
            block_on("dob"),
            block_on("city", "first_name"),
        ],
    )


def train(linker: Linker) -> None:
    """Prior from exact rules, u from random pairs, m by EM over two blocking rules whose
    blocked columns are estimated by the other one."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("email")],
        recall=DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
