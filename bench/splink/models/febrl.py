"""Splink's standard person model for FEBRL 1-4 (synthetic Australian records with typos).

FEBRL duplicates carry one or more corruptions each (typos, missing values, swapped digits), so
candidate pairs come from several blocking rules, each tolerating a corrupted field elsewhere.
"""

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from models.frames import read_text_csv

# Share of true pairs the two exact rules below are assumed to find: a duplicate keeps its social
# security number and birth date intact, or all of its name and birth date, roughly this often.
DETERMINISTIC_RECALL = 0.6


def read(path: str) -> pd.DataFrame:
    """FEBRL CSVs have a space after each comma; rec_id is the record id the truth files use.
    Birth dates come as YYYYMMDD and are rewritten as YYYY-MM-DD: Splink 4.0's date-difference
    levels parse with its default ISO format whatever datetime_format says."""
    frame = read_text_csv(path, "rec_id")
    frame["date_of_birth"] = frame["date_of_birth"].str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    return frame


def settings(link_type: str) -> SettingsCreator:
    """Names with term frequencies, the birth date as a date, the SSN and the address parts."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]).configure(term_frequency_adjustments=True),
            # Australian postcodes are four digits; Splink's PostcodeComparison parses UK ones.
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
        ],
    )


def train(linker: Linker) -> None:
    """Prior from exact rules, u from random pairs, m by EM over two blocking rules whose
    blocked columns are estimated by the other one."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth"), block_on("given_name", "surname", "date_of_birth")],
        recall=DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
