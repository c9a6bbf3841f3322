"""NHS England's *NHS Payments to General Practice, England, 2022-23* (practice level).

Each practice's registered and **weighted** patients (the list weighted by the Global Sum
(Carr-Hill) formula core funding is paid on), its Global Sum, Premises Payments and Total NHS
Payments, in pounds for the financial year. The file is UTF-8 with a byte-order mark.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locality.errors import SourceError
from locality.sources.checks import Col, read_csv

#: The financial year of the payments file, printed beside every figure taken from it.
PAYMENTS_YEAR = "2022-23"

#: Published column → store column.
PAYMENTS_COLUMNS = {
    "Practice Code": "practice_code",
    "Practice Name": "practice_name",
    "Practice Postcode": "postcode",
    "Contract Type": "contract_type",
    "Practice Rurality": "rurality",
    "Number of Registered Patients (Last Known Figure)": "registered_patients",
    "Number of Weighted Patients (Last Known Figure)": "weighted_patients",
    "Global Sum": "global_sum",
    "Premises Payments": "premises_payments",
    "Total NHS Payments to General Practice": "total_payments",
}

#: The numeric columns (patients and pounds).
PAYMENT_AMOUNTS = {"registered_patients", "weighted_patients", "global_sum", "premises_payments", "total_payments"}


def read_nhs_payments(path: Path | str) -> pd.DataFrame:
    """Read ``nhs-payments-gp-2022-23.csv``: one row per practice.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`PAYMENTS_COLUMNS`' values; the money columns in pounds (float), patients
        as float (the published figures carry decimals).

    Raises
    ------
    SourceError
        A column missing, a value that is not a number, a blank practice code, or a practice
        given twice (the message names the file, row and column).
    """
    cols = [Col(name, "float" if key in PAYMENT_AMOUNTS else "str", required=key in PAYMENT_AMOUNTS or key == "practice_code")
            for name, key in PAYMENTS_COLUMNS.items()]
    df = read_csv(path, cols)
    dup = df["Practice Code"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise SourceError(Path(path).name, f"practice {df['Practice Code'].iloc[i]} appears twice", row=i + 2,
                          column="Practice Code")
    return df.rename(columns=PAYMENTS_COLUMNS).reset_index(drop=True)
