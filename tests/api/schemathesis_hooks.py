"""Schemathesis hooks for tests/api/test_schema_fuzz.py (loaded with SCHEMATHESIS_HOOKS).

Some valid values are what the database holds, which no schema can enumerate: a cursor is a
position in a list, `since` an event of the feed, `cohort` or `theme` the slug of an object. A
value the schema accepts is replaced, just before the request, by a real one (chosen from it, so
runs stay deterministic); a value the schema refuses (a negative case) is sent as generated. So
`positive_data_acceptance` checks real values and `negative_data_rejection` wrong ones. Path
identifiers are replaced by real ones for every other case: the rest still meet 404s.

The real values come from S4C_FUZZ_REFERENCES, a JSON file written by the test:
{"cursor": {"<path>|<ordering>": cursor}, "since": head, "values": {"cohort": [...], ...},
 "items": {"<collection path>": [ids]}}.
"""

import json
import os
import re
import zlib
from pathlib import Path

import schemathesis

REFERENCES = json.loads(Path(os.environ["S4C_FUZZ_REFERENCES"]).read_text(encoding="utf-8"))


def _pick(choices, seed: str):
    return choices[zlib.crc32(seed.encode()) % len(choices)]


def _schemas(case, location):
    return {
        p["name"]: p.get("schema", {})
        for p in case.operation.definition.raw.get("parameters", [])
        if p["in"] == location
    }


def _valid(value, schema) -> bool:
    if not isinstance(value, str) or value == "":
        return False
    pattern = schema.get("pattern")
    return pattern is None or re.search(pattern, value) is not None


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    query = case.query if isinstance(case.query, dict) else None
    if query:
        schemas = _schemas(case, "query")
        for name, value in list(query.items()):
            if name not in schemas or not _valid(value, schemas[name]):
                continue
            if name == "cursor":
                key = f"{case.operation.path}|{query.get('ordering', '')}"
                # A list too short for a next page: the cursor of the page after the first row.
                query[name] = REFERENCES["cursor"].get(key, "bz0x")  # base64 of "o=1"
            elif name == "since":
                query[name] = str(zlib.crc32(value.encode()) % (REFERENCES["since"] + 1))
            elif name in REFERENCES["values"]:
                query[name] = _pick(REFERENCES["values"][name], value)
    path = case.path_parameters if isinstance(case.path_parameters, dict) else None
    collection = case.operation.path.rsplit("{", 1)[0]
    if path and REFERENCES["items"].get(collection):
        for name, value in list(path.items()):
            if zlib.crc32(str(value).encode()) % 2 == 0:
                path[name] = _pick(REFERENCES["items"][collection], str(value))
