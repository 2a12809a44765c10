"""Harvests our OAI-PMH interface with Sickle, a harvester from PyPI, as a partner would: Identify,
ListSets, then the whole library with ListRecords (GET) and ListIdentifiers (POST), following
resumption tokens to the end. Arguments: the base URL, then optional `key=value` arguments for
both lists (`set=domain:x`, `from=...`). Prints JSON with what it collected. Run by
tests/api/oai.rs."""

import json
import sys
from collections import Counter

from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch


class CountingSickle(Sickle):
    """Counts the HTTP requests, so the test sees the lists came in several pages."""

    requests = 0

    def harvest(self, **kwargs):
        CountingSickle.requests += 1
        return super().harvest(**kwargs)


def main():
    base_url = sys.argv[1]
    selection = dict(arg.split("=", 1) for arg in sys.argv[2:])
    get = CountingSickle(base_url, max_retries=0, timeout=60)
    post = CountingSickle(base_url, http_method="POST", max_retries=0, timeout=60)

    identify = get.Identify()
    sets = [s.setSpec for s in get.ListSets()]

    CountingSickle.requests = 0
    records = []
    try:
        for record in get.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **selection):
            records.append(record)
    except NoRecordsMatch:
        pass
    record_requests = CountingSickle.requests

    CountingSickle.requests = 0
    headers = []
    try:
        for header in post.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, **selection):
            headers.append(header)
    except NoRecordsMatch:
        pass
    header_requests = CountingSickle.requests

    identifiers = [r.header.identifier for r in records]
    live = [r for r in records if not r.deleted]
    print(
        json.dumps(
            {
                "identify": {
                    "repositoryName": identify.repositoryName,
                    "baseURL": identify.baseURL,
                    "protocolVersion": identify.protocolVersion,
                    "deletedRecord": identify.deletedRecord,
                    "granularity": identify.granularity,
                    "earliestDatestamp": identify.earliestDatestamp,
                },
                "sets": sets,
                "records": len(records),
                "distinct_records": len(set(identifiers)),
                "repeated": [i for i, n in Counter(identifiers).items() if n > 1],
                "live": len(live),
                "deleted": len(records) - len(live),
                "record_requests": record_requests,
                "identifiers": sorted(set(identifiers)),
                "deleted_identifiers": sorted(r.header.identifier for r in records if r.deleted),
                "titles": sorted(r.metadata["title"][0] for r in live),
                "without_title": [r.header.identifier for r in live if not r.metadata.get("title")],
                "headers": len(headers),
                "header_identifiers": sorted({h.identifier for h in headers}),
                "deleted_headers": sum(1 for h in headers if h.deleted),
                "header_requests": header_requests,
            }
        )
    )


main()
