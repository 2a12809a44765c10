"""Parses a BibTeX file with bibtexparser (v2) as a reference manager would, and prints JSON:
each entry's type, key, fields with the LaTeX decoded, and its authors split into BibTeX's name
parts (first, von, last, jr), also decoded. Run by tests/api/citations.rs."""

import json
import sys

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text

text = open(sys.argv[1], encoding="utf-8").read()
raw = bibtexparser.parse_string(text)
decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
# Names are split before decoding: the braces around an organisation keep it one name.
named = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
latex = LatexNodes2Text()


def parts(name):
    return {part: latex.latex_to_text(" ".join(getattr(name, part))) for part in ("first", "von", "last", "jr")}


entries = []
for r, d, n in zip(raw.entries, decoded.entries, named.entries):
    authors = n.fields_dict.get("author")
    entries.append(
        {
            "type": r.entry_type,
            "key": r.key,
            "raw": {f.key: f.value for f in r.fields},
            "fields": {f.key: f.value for f in d.fields},
            "authors": [parts(a) for a in authors.value] if authors else [],
        }
    )
print(
    json.dumps(
        {
            "failed_blocks": len(raw.failed_blocks),
            "duplicate_keys": len([b for b in raw.failed_blocks if "Duplicate" in type(b).__name__]),
            "entries": entries,
        },
        ensure_ascii=False,
    )
)
