"""Parses an Atom feed with feedparser, as a feed reader would, and prints JSON: bozo (1 when
the XML or the feed is malformed) and its reason, the version, the feed's and each entry's
fields. Run by tests/api/citations.rs."""

import json
import sys

import feedparser

d = feedparser.parse(sys.argv[1])


def links(x):
    return [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in x.get("links", [])]


print(
    json.dumps(
        {
            "bozo": int(bool(d.bozo)),
            "bozo_exception": str(d.get("bozo_exception", "")),
            "version": d.version,
            "feed": {
                "id": d.feed.get("id"),
                "title": d.feed.get("title"),
                "updated": d.feed.get("updated"),
                "links": links(d.feed),
                "author": d.feed.get("author"),
            },
            "entries": [
                {
                    "id": e.get("id"),
                    "title": e.get("title"),
                    "link": e.get("link"),
                    "links": links(e),
                    "published": e.get("published"),
                    "updated": e.get("updated"),
                    "summary": e.get("summary"),
                    "authors": [a.get("name") for a in e.get("authors", [])],
                    "tags": [{"term": t.get("term"), "scheme": t.get("scheme"), "label": t.get("label")} for t in e.get("tags", [])],
                }
                for e in d.entries
            ],
        },
        ensure_ascii=False,
    )
)
