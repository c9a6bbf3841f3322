"""Text from files and users, made safe to show: as HTML, inside JavaScript, or as Markdown.

Names, codes, site ids, descriptions and sources come from official files, estates registers,
travel matrices and scenario files that anyone may have written. Nothing in them may run as
script or change a page's layout. Three contexts need three escapes:

- :func:`html_text` for text that reaches the DOM through ``innerHTML`` (folium popups and
  GeoJSON tooltips, legends, ``unsafe_allow_html`` blocks), and also for text that folium puts
  inside a JavaScript template literal (``folium.Tooltip``): ``<``, ``>``, ``&``, quotes, the
  backtick, ``$`` and the backslash all become character references, so the literal cannot be
  closed, interpolate (``${…}``) or escape, and the HTML shows the characters as written;
- :func:`markdown_text` for text shown with ``st.markdown`` (or any Streamlit element that reads
  Markdown, such as ``st.error``), so a name cannot become a link, an image or a heading;
- :func:`html_columns` escapes the text columns of a frame before it becomes GeoJSON properties.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

#: Characters that would end, interpolate or escape a JavaScript template literal, as HTML references.
_JS_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})

#: Characters that make (Streamlit's GitHub-flavoured) Markdown links, images, emphasis, code, tables,
#: inline HTML or LaTeX (``$``) anywhere in a line. Plain punctuation such as "(2024)" stays as written.
_MARKDOWN = re.compile(r"([\\`*_\[\]|<>~$])")


def _plain(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def html_text(value) -> str:
    """Return ``value`` as HTML text that is also safe inside a JavaScript template literal.

    Examples
    --------
    >>> html_text("<img src=x onerror=alert(1)> ${document.title}")
    '&lt;img src=x onerror=alert(1)&gt; &#36;{document.title}'
    """
    return html.escape(_plain(value), quote=True).translate(_JS_LITERAL)


def markdown_text(value) -> str:
    r"""Return ``value`` with the Markdown (and inline HTML) characters backslash-escaped.

    Examples
    --------
    >>> print(markdown_text("[click](http://x) **bold** (2024)"))
    \[click\](http://x) \*\*bold\*\* (2024)
    """
    return _MARKDOWN.sub(r"\\\1", _plain(value).replace("\n", " "))


def html_columns(frame: pd.DataFrame, columns=None) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text columns (or ``columns``) hold :func:`html_text`.

    Numbers stay numbers; missing values become empty text in escaped columns.
    """
    out = frame.copy()
    cols = columns if columns is not None else [
        c for c in out.columns if c != "geometry" and not pd.api.types.is_numeric_dtype(out[c])
        and not pd.api.types.is_bool_dtype(out[c])]
    for c in cols:
        out[c] = out[c].map(html_text)
    return out
