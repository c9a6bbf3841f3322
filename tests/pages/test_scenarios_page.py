"""Saving from the Localities and Hubs pages, and the Scenarios and Presentation pages, through AppTest."""

from __future__ import annotations

from locality.store import userdata


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _save(at, prefix, name, description):
    at.text_input(key=f"{prefix}_name").set_value(name)
    at.text_area(key=f"{prefix}_desc").set_value(description)
    _button(at, "Save scenario").click().run()
    assert not at.exception, at.exception


def test_save_from_localities_then_open_compare_rename(open_page):
    at = open_page("pages/localities.py")
    _save(at, "lc", "EB 30-50k", "PCN-sized groups for East Berkshire.")
    assert any("Saved scenario" in s.value for s in at.success)
    # saving again under the same name is refused, not silently replaced
    _save(at, "lc", "EB 30-50k", "again")
    assert any("already exists" in e.value for e in at.error)
    assert userdata.load_scenario("EB 30-50k")["description"] == "PCN-sized groups for East Berkshire."

    at.switch_page("pages/scenarios.py").run()
    assert not at.exception, at.exception
    m = {x.label: x.value for x in at.metric}
    assert m["Groups"] == "12" and m["Within the band"] == "100%"
    assert any("identical to the saved results" in c.value for c in at.caption)
    at.button_group(key="sc_section").set_value("Compare").run()
    assert not at.exception, at.exception
    cmp_table = next(d.value for d in at.dataframe if "Figure" in d.value.columns)
    assert list(cmp_table.columns) == ["Figure", "EB 30-50k", "Today's PCNs"]
    assert cmp_table.set_index("Figure").loc["Groups", "Today's PCNs"] == "10"

    at.button_group(key="sc_section").set_value("Saved scenarios").run()
    at.text_input(key="sc_new_name_EB 30-50k").set_value("EB PCN-size")
    _button(at, "Rename").click().run()
    assert not at.exception, at.exception
    assert list(userdata.scenarios()["name"]) == ["EB PCN-size"]


def test_save_a_hub_option_into_the_grouping_scenario(open_page):
    at = open_page("pages/localities.py")
    _save(at, "lc", "EB 30-50k", "Groups and Ascot's hubs.")
    at.switch_page("pages/hubs.py").run()
    assert not at.exception, at.exception
    at.radio(key="hb_target").set_value("existing")
    at.selectbox(key="hb_existing").set_value("EB 30-50k")
    _button(at, "Save scenario").click().run()
    assert not at.exception, at.exception
    doc = userdata.load_scenario("EB 30-50k")
    assert doc["grouping"]["floor"] == 30_000 and doc["description"] == "Groups and Ascot's hubs."
    assert doc["results"]["grouping"]["summary"]["groups"] == 12
    assert doc["sites"]["practices"] == ["K81010", "K81028", "K81076", "K81655"]
    assert doc["results"]["sites"]["chosen_k"] == doc["sites"]["chosen_k"]

    # a new Hubs scenario under a taken name is refused, not merged
    at.radio(key="hb_target").set_value("new")
    at.text_input(key="hb_name").set_value("EB 30-50k")
    _button(at, "Save scenario").click().run()
    assert any("already exists" in e.value for e in at.error)

    # replacing the grouping from Localities keeps the site option and the description
    at.switch_page("pages/localities.py").run()
    at.text_input(key="lc_name").set_value("EB 30-50k")
    at.checkbox(key="lc_replace").check()
    _button(at, "Save scenario").click().run()
    assert not at.exception, at.exception
    again = userdata.load_scenario("EB 30-50k")
    assert again["sites"] == doc["sites"] and again["description"] == "Groups and Ascot's hubs."
    assert again["results"]["sites"]["chosen_k"] == doc["sites"]["chosen_k"]

    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    html = " ".join(md.value for md in at.markdown)
    assert "EB 30-50k" in html and "Population per group" in html and "Practices per group" in html
    # the small print says how the territory and the hub demand were placed (no LSOA file for U2G6B: modelled)
    assert "Territory: Modelled: each LSOA to its nearest practice site" in html
    assert "Demand: Modelled:" in html


def test_scenarios_page_without_any_saved(open_page):
    at = open_page("pages/scenarios.py")
    assert any("No scenario saved yet" in i.value for i in at.info)


def test_a_scenario_that_cannot_be_rerun_can_still_be_managed(open_page):
    from locality import scenarios

    doc = scenarios.new_scenario("Broken", "U2G6B", "", None, {"practices": ["ZZZ999"]})
    userdata.save_scenario(doc)
    at = open_page("pages/scenarios.py")
    assert any("cannot be re-run" in e.value and "ZZZ999" in e.value for e in at.error)
    assert any(b.label == "Delete" for b in at.button)
    at.checkbox(key="sc_sure_Broken").check().run()
    _button(at, "Delete").click().run()
    assert not at.exception, at.exception
    assert userdata.scenarios().empty
