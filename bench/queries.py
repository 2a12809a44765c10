#!/usr/bin/env python3
"""The cold searches' queries (bench/run.sh's `search_cold` and `search_cold_broad`).

Two or three of the library's commonest title words (five letters or more), in a fixed
pseudo-random order, sorted by how many published resources the query matches, counted here from
the stored `tsvector`s exactly as `websearch_to_tsquery('english', q)` matches them (every word's
lexeme present):

- usual: 1% to 5% of the published library, the shape of the issue's own search
  (`community health equity` matched 3,017 of about 92,000 resources when the issue was written);
- broad: 20% or more, the issue's "broad query".

Every query in a file is distinct, so within a run no answer is given from what an earlier
request kept. Usage: queries.py DATABASE_URL USUAL_FILE BROAD_FILE [COUNT] (Python 3.10 or later, psql).
"""

import math
import random
import subprocess
import sys
import urllib.parse


def psql(url, sql, keep_empty=False):
    out = subprocess.run(["psql", url, "-tAc", sql], check=True, capture_output=True, text=True).stdout
    return [line for line in out.split("\n")[:-1] if line or keep_empty]


def main():
    url, usual_file, broad_file = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
    words = psql(
        url,
        "SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', title) FROM resources "
        "WHERE status = ''published''') WHERE length(word) >= 5 ORDER BY ndoc DESC, word LIMIT 400",
    )
    # Each word's lexeme, as the service's query parser makes it; stop words and words that
    # become more than one lexeme are left out.
    array = "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]::text[]"
    lexeme_of = {}
    for line in psql(url, f"SELECT w || '|' || websearch_to_tsquery('english', w)::text FROM unnest({array}) w"):
        word, query = line.split("|", 1)
        if query.count("'") == 2 and "&" not in query and "<" not in query:
            lexeme_of[word] = query.strip("'")
    lexemes = sorted(set(lexeme_of.values()))
    lexeme_array = "ARRAY[" + ",".join("'" + x.replace("'", "''") + "'" for x in lexemes) + "]::text[]"
    # Which published resources hold each lexeme, as one integer bitset per lexeme.
    rows = psql(
        url,
        "SELECT array_to_string(ARRAY(SELECT unnest(tsvector_to_array(search)) INTERSECT "
        f"SELECT unnest({lexeme_array})), ' ') FROM resources WHERE status = 'published'",
        keep_empty=True,
    )
    published = len(rows)
    held_by = {x: bytearray(published // 8 + 1) for x in lexemes}
    for doc, held in enumerate(rows):
        for x in held.split():
            held_by[x][doc >> 3] |= 1 << (doc & 7)
    bits = {x: int.from_bytes(b, "little") for x, b in held_by.items()}
    candidates = sorted(lexeme_of)
    rng = random.Random(14)
    usual, broad, seen = [], [], set()
    low, high, wide = math.ceil(published * 0.01), published * 0.05, published * 0.20
    tries = 0
    while (len(usual) < count or len(broad) < count) and tries < 40 * count and len(candidates) >= 3:
        tries += 1
        chosen = rng.sample(candidates, rng.choice((2, 3)))
        q = " ".join(chosen)
        if q in seen or len({lexeme_of[w] for w in chosen}) < len(chosen):
            continue
        seen.add(q)
        matched = -1
        for w in chosen:
            matched &= bits[lexeme_of[w]]
        n = matched.bit_count()
        if low <= n <= high and len(usual) < count:
            usual.append(q)
        elif n >= wide and len(broad) < count:
            broad.append(q)
    for name, queries in ((usual_file, usual), (broad_file, broad)):
        with open(name, "w") as f:
            f.writelines(urllib.parse.quote(q) + "\n" for q in queries)
    print(f"{len(usual)} usual queries (1-5% of {published} published), {len(broad)} broad (20% or more)")


if __name__ == "__main__":
    main()
