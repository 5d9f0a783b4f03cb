"""Safe output of document text. No streamlit import: the ETL and the pages both use it.

Three places where text from a report (titles, quotes, district names, file names) could act
instead of being shown:

- spreadsheets (CSV, XLSX): a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is a formula
  to Excel and LibreOffice (OWASP "CSV injection"); it is written with a leading ``'`` instead.
  Numbers stay numbers. Control characters (U+0000–U+001F except tab and newline) are removed:
  openpyxl refuses them and they are invisible anyway.
- Markdown (st.markdown, st.caption, widget labels, help texts): ``[a](//host)`` is a link and
  ``![x](https://host/p.png)`` loads a remote image; :func:`markdown_literal` escapes every ASCII
  punctuation character so the text is shown as written.
- HTML (st.html, the printable brief): :func:`html_text` escapes markup and also encodes the
  Markdown punctuation as character references, so the same string stays inert if it is ever
  shown through ``st.markdown(..., unsafe_allow_html=True)``.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_START = frozenset("=+-@\t\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")        # C0 controls except tab (09) and newline (0a)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
_QUOTED = re.compile(r"'+(?:\t|\s*[=+\-@])")
# Markdown punctuation that can build links, images, HTML, code, emphasis, headings, lists, tables,
# LaTeX or Streamlit's :colour[…] and :emoji: (a "(" is harmless once "[" and "]" are escaped; a "."
# "+" "-" before a digit is a number, not a list or an autolink)
_MARKDOWN = re.compile(r"[\\`*_\[\]<>#|~$:=&@]|[.+-](?!\d)")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                       **{c: f"&#{ord(c)};" for c in "[]()!`\\$:"}})


def clean_text(text: str) -> str:
    """Text with line breaks unified to ``\\n`` and every other control character (U+0000–U+001F
    except tab and newline) removed. str → str."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def neutralise_formula(value):
    """One export cell made safe for spreadsheets (OWASP CSV-injection rule).

    A string is cleaned of control characters; if it then starts with ``=``, ``+``, ``-``, ``@`` or
    tab (after any leading ``'`` and white space: a CR was a trigger too and is now a newline) it
    gets one more leading ``'``, so Excel shows it as text.
    Strings that are plain numbers ("-5", "+3.2", "-5%") and every non-string value (floats, ints,
    NaN, dates) are returned unchanged. :func:`restore_formula` undoes it exactly."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if _NUMBER.fullmatch(text):
        return text
    rest = text.lstrip("'")
    return "'" + text if rest[:1] in FORMULA_START or rest.lstrip()[:1] in FORMULA_START else text


def restore_formula(value):
    """Inverse of :func:`neutralise_formula`'s prefix, for CSV files the ETL reads back
    (``'=x`` → ``=x``, ``''=x`` → ``'=x``); other values unchanged."""
    if isinstance(value, str) and _QUOTED.match(value):
        return value[1:]
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of a table ready for CSV/XLSX export: :func:`neutralise_formula` applied to every
    column label and every cell of text (object, string or category) columns. Numeric, boolean
    and date columns are untouched, so -5.0 stays the number -5.0."""
    out = df.rename(columns=neutralise_formula)
    for i, dtype in enumerate(out.dtypes):
        if dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
            out.isetitem(i, out.iloc[:, i].astype(object).map(neutralise_formula, na_action="ignore"))
    return out


def markdown_literal(text) -> str:
    """Text to put inside Markdown (st.markdown, st.caption, st.write, labels, help): control
    characters removed and every Markdown-active punctuation character backslash-escaped, so
    links, images, autolinks, HTML, emphasis, LaTeX ``$…$`` and ``:colour[…]`` directives are
    shown as typed. Decimals ("72.5"), ranges ("2016-2020"), "/", "%" and "()" stay as they are.
    Non-strings are converted with str(). Returns str."""
    return _MARKDOWN.sub(r"\\\g<0>", clean_text(str(text)))


def html_text(text) -> str:
    """Text to put inside HTML: control characters removed, ``& < > " '`` escaped, and the
    Markdown link, image, code and LaTeX punctuation (``[ ] ( ) ! ` \\ $ :``) written as character
    references, so no link or image syntax survives if the HTML is ever shown through Markdown.
    Digits, ``.``, ``%``, ``_`` and Chinese text are kept as they are. Non-strings are converted
    with str(). Returns str."""
    return clean_text(str(text)).translate(_HTML)
