"""Checks a CSL-JSON document and renders it with citeproc-py, as a word processor's citation
plug-in would: prints JSON with the items, what is missing of the fields CSL requires, and the
bibliography entry of each item in the Harvard (Cite Them Right) style citeproc-py ships.
Run by tests/api/citations.rs."""

import json
import sys

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

CSL_TYPES = {"article-journal", "webpage", "document", "report", "article", "book", "chapter"}

items = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
if not isinstance(items, list):
    problems.append("a CSL-JSON document is an array of items")
    items = [items]
for item in items:
    for field in ("id", "type", "title"):
        if not item.get(field):
            problems.append(f"{item.get('id')}: no {field}")
    if item.get("type") not in CSL_TYPES:
        problems.append(f"{item.get('id')}: unknown type {item.get('type')}")
    for name in item.get("author", []):
        if not (name.get("family") or name.get("literal")):
            problems.append(f"{item.get('id')}: a name without family or literal")
    for date in ("issued", "accessed"):
        if date in item:
            parts = item[date].get("date-parts")
            if not (isinstance(parts, list) and parts and all(isinstance(x, int) for x in parts[0])):
                problems.append(f"{item.get('id')}: {date} is not date-parts")

source = CiteProcJSON(items)
style = CitationStylesStyle("harvard-cite-them-right", validate=False)
bibliography = CitationStylesBibliography(style, source, formatter.plain)
for item in items:
    bibliography.register(Citation([CitationItem(item["id"])]))
rendered = [str(entry) for entry in bibliography.bibliography()]
print(json.dumps({"items": items, "problems": problems, "bibliography": rendered}, ensure_ascii=False))
