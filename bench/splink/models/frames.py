"""Reading a bench CSV into the shape Splink expects: text columns, blanks as nulls, a unique_id."""

import pandas as pd


def read_text_csv(path: str, id_column: str) -> pd.DataFrame:
    """Every column as trimmed text with empty cells as nulls, so a blank is no evidence in Splink,
    and the record id renamed to unique_id, which the output uses as the record's key."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    frame.columns = [column.strip() for column in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())
    frame = frame.astype(object).where(frame != "", None)
    return frame.rename(columns={id_column: "unique_id"})
