"""The Document as Markdown and as HTML (a whole page, or the fragment the web app's page embeds).

Every cell is escaped for HTML and for Markdown tables ("|"); charts are named by a function,
so files on disk (the CLI) and inline data (the web page) use the same writer.
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

from evn.report.charts import charts
from evn.report.document import Document, Section, Table, document
from evn.services.operations_report import TOTAL, Report

# Scoped to .report, so the web app's page can embed the fragment beside its own styles.
STYLE = """
.report table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; width: auto; }
.report th, .report td { border: 1px solid #c9d2dc; padding: .25rem .5rem; text-align: right; }
.report th:first-child, .report td:first-child { text-align: left; }
.report th { background: #eef3f8; }
.report tr.total td { font-weight: 600; }
.report p.definition { color: #4a5a6a; font-size: .85rem; max-width: 60rem; }
.report p.note { background: #fff6db; padding: .4rem .6rem; max-width: 60rem; }
.report img.chart { max-width: 100%; height: auto; }
"""
PAGE_STYLE = "body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }" + STYLE


def markdown(doc: Document, chart_src: Callable[[str], str]) -> str:
    lines = [f"# {_md(doc.title)}", "", _md(doc.subtitle), ""]
    if doc.note:
        lines += [f"> {_md(doc.note)}", ""]
    for section in doc.sections:
        lines += [f"## {_md(section.title)}", ""]
        if section.note:
            lines += [f"> {_md(section.note)}", ""]
        for table in section.tables:
            lines += [*_md_table(table), ""]
        if section.chart:
            lines += [f"![{_md(section.title)}]({chart_src(section.chart)})", ""]
        lines += [f"*Định nghĩa:* {_md(section.definition)}", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    return [
        "| " + " | ".join(_md(cell) for cell in table.header) + " |",
        "|" + "|".join([":---"] + ["---:"] * (len(table.header) - 1)) + "|",
        *("| " + " | ".join(_md(cell) for cell in row) + " |" for row in table.rows),
    ]


def html_fragment(doc: Document, chart_src: Callable[[str], str]) -> str:
    """The report in a <div class="report">, styled by STYLE."""
    parts = [f'<div class="report" data-testid="report"><h1>{escape(doc.title)}</h1>', f"<p>{escape(doc.subtitle)}</p>"]
    if doc.note:
        parts.append(f'<p class="note" data-testid="report-empty">{escape(doc.note)}</p>')
    parts += [_html_section(section, chart_src) for section in doc.sections]
    parts.append("</div>")
    return "\n".join(parts)


def html_page(doc: Document, chart_src: Callable[[str], str]) -> str:
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(doc.title)}</title>'
            f"<style>{PAGE_STYLE}</style></head><body>{html_fragment(doc, chart_src)}</body></html>")


def inline_html(report: Report) -> str:
    """The fragment with its charts inside (data: URIs): one answer for the web app's page."""
    pngs = charts(report)
    return html_fragment(document(report), lambda name: inline_png(pngs[name]))


def _html_section(section: Section, chart_src: Callable[[str], str]) -> str:
    parts = [f'<section data-testid="report-{escape(section.key)}"><h2>{escape(section.title)}</h2>']
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts += [_html_table(table) for table in section.tables]
    if section.chart:
        parts.append(f'<img class="chart" src="{escape(chart_src(section.chart))}" alt="{escape(section.title)}">')
    parts.append(f'<p class="definition"><strong>Định nghĩa:</strong> {escape(section.definition)}</p></section>')
    return "\n".join(parts)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.header)
    body = "".join(
        ('<tr class="total">' if row and row[0] == TOTAL else "<tr>")
        + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def inline_png(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
