"""Validates OAI-PMH responses against the official schemas (OAI-PMH.xsd with oai_dc.xsd, vendored
in tests/python/xsd/, see its README) with lxml. Arguments: URLs to GET. Prints JSON: for each URL
its HTTP status, Content-Type, root element, and `valid` with the schema's errors. Before that it
proves the validator bites: a record with an element oai_dc does not define, and a header without
its datestamp, must be rejected. Run by tests/api/oai.rs."""

import json
import os
import shutil
import sys
import tempfile
import urllib.request

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
XSD = os.path.join(HERE, "xsd")

# The imports that name web addresses, pointed at the copies beside them.
LOCAL = {
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
}

DRIVER = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
</xs:schema>
"""


def load_schema():
    folder = tempfile.mkdtemp(prefix="oai-xsd-")
    try:
        for name in ["OAI-PMH.xsd", "oai_dc.xsd", "simpledc20021212.xsd", "xml.xsd"]:
            with open(os.path.join(XSD, name), encoding="utf-8") as f:
                text = f.read()
            for remote, local in LOCAL.items():
                text = text.replace('schemaLocation="%s"' % remote, 'schemaLocation="%s"' % local)
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
        driver = os.path.join(folder, "driver.xsd")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(DRIVER)
        parser = etree.XMLParser(no_network=True)
        return etree.XMLSchema(etree.parse(driver, parser))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check(schema, document):
    ok = schema.validate(document)
    return ok, [str(e) for e in schema.error_log] if not ok else []


def main():
    schema = load_schema()
    out = {"responses": []}
    first_record = None
    for url in sys.argv[1:]:
        with urllib.request.urlopen(url) as response:
            status = response.status
            content_type = response.headers.get("Content-Type")
            body = response.read()
        document = etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False))
        ok, errors = check(schema, document)
        out["responses"].append(
            {"url": url, "status": status, "content_type": content_type, "root": document.tag, "valid": ok, "errors": errors}
        )
        ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
        if first_record is None and document.find(".//o:record/o:metadata", ns) is not None:
            first_record = body

    # The schema must reject what is wrong, or a pass proves nothing.
    rejected = {}
    if first_record is not None:
        ns = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
        doc = etree.fromstring(first_record)
        dc = doc.find(".//o:metadata/*", ns)
        etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}colour").text = "blue"
        rejected["unknown_dc_element"] = not check(schema, doc)[0]
        doc = etree.fromstring(first_record)
        header = doc.find(".//o:header", ns)
        header.remove(header.find("o:datestamp", ns))
        rejected["header_without_datestamp"] = not check(schema, doc)[0]
    out["rejected"] = rejected
    print(json.dumps(out, indent=1))


main()
