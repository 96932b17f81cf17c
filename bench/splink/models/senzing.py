"""Splink's standard model fitted to the Senzing demo truth set: customers, reference and
watchlist records of people and organisations, with names in one or two fields, birth dates in
many formats, emails, phones, addresses and official identifiers."""

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from models import senzing_columns as col
from models.frames import read_text_csv

# Share of true pairs the exact identifier rules below are assumed to find: the set is built
# around records that share no identifier, so fewer than half of its pairs do.
DETERMINISTIC_RECALL = 0.4
IDENTIFIERS = ["ssn", "passport", "drivers_license", "national_id"]


def read(path: str) -> pd.DataFrame:
    """The same cleaned columns for all three files, whatever subset of attributes each has."""
    raw = read_text_csv(path, "RECORD_ID")
    rows = [clean_row(row) for row in raw.to_dict("records")]
    return pd.DataFrame(rows, dtype=object)


def clean_row(row: dict) -> dict:
    """One record's comparable columns; a missing attribute is None."""
    get = row.get
    forename, surname = col.text(get("PRIMARY_NAME_FIRST")), col.text(get("PRIMARY_NAME_LAST"))
    if forename is None and surname is None:
        forename, surname = col.split_full_name(get("PRIMARY_NAME_FULL"))
    full_address = get("ADDR_FULL")
    return {
        "unique_id": row["unique_id"],
        "forename": forename,
        "surname": surname,
        "full_name": " ".join(part for part in (forename, surname) if part) or None,
        "org_name": col.text(get("PRIMARY_NAME_ORG")),
        "dob": col.birth_date(get("DATE_OF_BIRTH")),
        "email": col.email(get("EMAIL_ADDRESS")),
        "phone": col.phone(get("PHONE_NUMBER")),
        "address": col.text(get("ADDR_LINE1") or full_address),
        "postcode": col.postcode(get("ADDR_POSTAL_CODE"), full_address),
        "ssn": col.identifier(get("SSN_NUMBER")),
        "passport": col.identifier(get("PASSPORT_NUMBER")),
        "drivers_license": col.identifier(get("DRIVERS_LICENSE_NUMBER")),
        "national_id": col.identifier(get("NATIONAL_ID_NUMBER")),
    }


def settings(link_type: str) -> SettingsCreator:
    """Forename and surname together (swaps allowed, term frequencies on the full name), the
    organisation name, birth date, email, phone, address, postcode and each identifier."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.ForenameSurnameComparison("forename", "surname", forename_surname_concat_col_name="full_name"),
            cl.NameComparison("org_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.8]),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            *[cl.ExactMatch(name) for name in IDENTIFIERS],
        ],
        # The set is small (159 records), so each single attribute can be a blocking key.
        blocking_rules_to_generate_predictions=[
            *[
                block_on(name)
                for name in ["surname", "forename", "org_name", "dob", "email", "phone", "address", "postcode"]
            ],
            *[block_on(name) for name in IDENTIFIERS],
        ],
    )


def train(linker: Linker) -> None:
    """Prior from exact identifier rules, u from all pairs (there are few), m by EM over two
    blocking rules whose blocked columns are estimated by the other one."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on(name) for name in ["email", "phone", *IDENTIFIERS]],
        recall=DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
