"""The ring round a moved practice shows hostile names as text."""

import folium
import pandas as pd

from locality.outputs.repair_maps import mark_moved

PAYLOAD = "${alert(1)}`<img src=x onerror=alert(2)>"


def test_moved_practice_tooltip_cannot_run_script():
    moves = pd.DataFrame([{
        "kind": "move", "practice_code": "X1", "practice_name": PAYLOAD, "patients": 5000,
        "from_pcn_name": "A PCN", "to_pcn_name": PAYLOAD, "to_group": "G2"}])
    practices = pd.DataFrame([{"practice_code": "X1", "practice_name": PAYLOAD, "lat": 51.4, "lon": -0.67}])
    m = folium.Map(location=[51.4, -0.67], tiles=None)
    legend = mark_moved(m, moves, practices)
    page = m.get_root().render()
    assert "practice that moves (ring): 1" in legend.items[0][0]
    assert "${alert" not in page and "<img src=x" not in page and "`<img" not in page
    assert "&#36;{alert(1)}&#96;&lt;img src=x onerror=alert(2)&gt;" in page
