"""Derive, at build time, where each LSOA's residents live and how far they drive to a GP (AHAH v3).

- **Population centre**: the mean British National Grid position of the LSOA 2021's residential
  postcodes (ONS lookup, small users, live in May 2022; positions from OS Code-Point Open). A
  postcode whose LSOA 2011 became exactly one LSOA 2021 takes that; one whose LSOA 2011 was split
  goes to the LSOA 2021 polygon holding it. It is where road and walking minutes start from:
  nearer to where people live than the polygon's centroid, which in a rural LSOA can fall in a field.
- **AHAH drive time**: CDRC's minutes to the nearest GP by LSOA 2011, carried to LSOA 2021 with
  ONS's LSOA11 → LSOA21 lookup (the mean where LSOAs 2011 merged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from locality import geography


def lsoa_access(lsoa: pd.DataFrame, lsoa_geoms: np.ndarray, postcode: pd.DataFrame, pc_lsoa11: pd.DataFrame,
                lsoa11: pd.DataFrame, ahah: pd.DataFrame) -> pd.DataFrame:
    """Return one row per LSOA 2021: population centre, its postcode count, and AHAH's drive time to a GP.

    Parameters
    ----------
    lsoa : DataFrame
        ``lsoa21_code`` in the order of ``lsoa_geoms``.
    lsoa_geoms : ndarray of shapely polygons
        LSOA 2021 boundaries, British National Grid.
    postcode : DataFrame
        Code-Point Open: ``postcode, easting, northing``.
    pc_lsoa11 : DataFrame
        ONS lookup: ``postcode, usertype, lsoa11_code``.
    lsoa11 : DataFrame
        ONS LSOA11 → LSOA21: ``lsoa11_code, lsoa21_code``.
    ahah : DataFrame
        ``lsoa11_code, ahah_gp_minutes``.
    """
    codes = lsoa["lsoa21_code"].to_numpy()
    link = lsoa11[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    n21 = link.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    one = link[n21 == 1].set_index("lsoa11_code")["lsoa21_code"]
    pc = pc_lsoa11[pc_lsoa11["usertype"] == 0].merge(postcode[["postcode", "easting", "northing"]], on="postcode")
    pc["lsoa21_code"] = pc["lsoa11_code"].map(one)
    split = pc["lsoa21_code"].isna().to_numpy()
    if split.any():
        idx = geography.locate_points(pc.loc[split, "easting"], pc.loc[split, "northing"], lsoa_geoms)
        pc.loc[split, "lsoa21_code"] = np.where(idx >= 0, codes[np.maximum(idx, 0)], None)
    pc = pc.dropna(subset=["lsoa21_code"])
    centre = pc.groupby("lsoa21_code").agg(pop_centre_e=("easting", "mean"), pop_centre_n=("northing", "mean"),
                                           centre_postcodes=("postcode", "size"))
    gp = link.merge(ahah, on="lsoa11_code").groupby("lsoa21_code").agg(
        ahah_gp_minutes=("ahah_gp_minutes", "mean"), ahah_lsoa11=("lsoa11_code", "size"))
    out = pd.DataFrame({"lsoa21_code": codes}).merge(centre, on="lsoa21_code", how="left").merge(
        gp, on="lsoa21_code", how="left")
    out["centre_postcodes"] = out["centre_postcodes"].fillna(0).astype("int64")
    out["ahah_lsoa11"] = out["ahah_lsoa11"].fillna(0).astype("int64")
    return out
