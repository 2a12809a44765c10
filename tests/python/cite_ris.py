"""Parses an RIS file with rispy (strict: an unknown tag or a malformed line fails) and prints
the records as JSON (rispy's field names: type_of_reference, authors, title, journal_name, …).
Run by tests/api/citations.rs."""

import json
import sys

import rispy

with open(sys.argv[1], encoding="utf-8", newline="") as f:
    text = f.read()
print(json.dumps({"crlf": "\r\n" in text, "records": rispy.loads(text)}, ensure_ascii=False))
