"""Planning cases the tests share: the practices and sites of real places (East Berkshire's Ascot PCN)."""

from locality import store

#: Ascot PCN, East Berkshire (sub-ICB U2G6B): four practices on three postcode sites.
ASCOT = ["K81010", "K81028", "K81076", "K81655"]

#: An estates register for Ascot's practices (invented figures, real postcodes): four sites, one practice on two.
REGISTER = """site_id,site_name,postcode,easting,northing,practices,gia_m2,clinical_rooms,tenure,lease_end,condition,running_cost_gbp,must_keep,must_close
S1,Kings Corner Surgery,SL5 0AE,,,K81010,650,9,leasehold,2031-03-31,B,98000,no,no
S2,Magnolia House,SL5 0QJ,,,K81028,720,11,freehold,,A,120000,,
S3,Green Meadows and Ascot MC,SL5 7GB,,,K81076;K81655,1400,20,NHS Property Services,2029-12-31,C,210000,,
S4,Sunninghill branch,SL5 9NU,,,K81076,180,3,leasehold,2027-06-30,D,40000,,
"""

#: The same register with a fifth site: Magnolia House's Sunningdale branch (two practices on two sites each).
REGISTER5 = REGISTER + "S5,Sunningdale branch,SL5 0BU,,,K81028,240,4,leasehold,2028-09-30,C,52000,,\n"


def grouping_inputs_by_code(con):
    """Return a function giving an area's grouping inputs by its code, each read from ``con`` once."""
    cache: dict = {}

    def get(code):
        if code not in cache:
            cache[code] = store.grouping_inputs(con, store.area_type_of(con, code), code)
        return cache[code]

    return get


def choose_area(app, region: str, icb: str, sub_icb: str) -> None:
    """In an AppTest page, choose a region, then one of its ICBs, then a sub-ICB, as a planner would."""
    for key, code in (("w_region", region), ("w_icb", icb), ("w_sub_icb", sub_icb)):
        app.sidebar.selectbox(key=key).set_value(code).run()
        assert not app.exception, app.exception


LINCOLNSHIRE = ("Y60", "QJM", "71E")  # Midlands, Lincolnshire ICB, its one sub-ICB: the LSOA file's practices


def thames_valley_icb(store_path):
    """Return the small store's whole ICB (S0E4D, 62 PCNs) grouped at 30–50k: (grouping, practices, area)."""
    from locality.grouping import GroupingOptions
    from locality.grouping.area import group_area

    con = store.connect(store_path)
    try:
        ag = group_area(con, "S0E4D", GroupingOptions(floor=30_000, ceiling=50_000))
        return ag, store.practices(con, "icb", "S0E4D"), store.area(con, "S0E4D")
    finally:
        con.close()
