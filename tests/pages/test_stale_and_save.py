"""The Localities page says when the sidebar no longer matches the result, and refuses to save it."""

from __future__ import annotations

from locality.store import userdata


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_changed_sidebar_is_stale_until_run(open_page):
    at = open_page("pages/localities.py")
    assert not at.warning or not any("no longer matches" in w.value for w in at.warning)
    at.sidebar.multiselect(key="lc_keep").set_value(["U14074"]).run()  # a lock chosen, not yet run
    assert not at.exception, at.exception
    stale = [w.value for w in at.warning if "no longer matches" in w.value]
    assert stale and "PCNs kept whole: ASCOT PCN" in stale[0]
    assert not any(b.label == "Save scenario" for b in at.button)  # saving is off
    assert any("Saving is off until the results match the settings" in w.value for w in at.warning)
    # the first press of Run applies the lock
    _button(at, "Run grouping").click().run()
    assert not at.exception, at.exception
    assert not any("no longer matches" in w.value for w in at.warning)
    groups = at.session_state["last_grouping"]["groups"]
    ascot = {"K81010", "K81028", "K81076", "K81655"}
    assert any(ascot <= set(g) for g in groups.values())


def test_run_from_the_stale_warning(open_page):
    at = open_page("pages/localities.py")
    at.sidebar.number_input(key="lc_seed").set_value(3).run()
    _button(at, "Run with the sidebar's settings").click().run()
    assert not at.exception, at.exception
    assert not any("no longer matches" in w.value for w in at.warning)
    assert any(b.label == "Save scenario" for b in at.button)


def test_replace_is_unticked_after_a_save(open_page):
    at = open_page("pages/localities.py")
    at.text_input(key="lc_name").set_value("EB once")
    _button(at, "Save scenario").click().run()
    at.text_input(key="lc_name").set_value("EB once")
    at.checkbox(key="lc_replace").check()
    _button(at, "Save scenario").click().run()
    assert not at.exception, at.exception
    assert any("Saved scenario **EB once**" in s.value for s in at.success)
    assert at.checkbox(key="lc_replace").value is False  # a later save cannot overwrite unawares
    at.text_input(key="lc_name").set_value("EB once")
    _button(at, "Save scenario").click().run()
    assert any("already exists" in e.value for e in at.error)
    assert list(userdata.scenarios()["name"]).count("EB once") == 1
