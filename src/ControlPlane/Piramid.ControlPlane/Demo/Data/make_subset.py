#!/usr/bin/env python3
"""Builds the demo subset shipped in this folder from the full WordNet LSA dataset (not needed to build or run).

Usage: make_subset.py <wordnet-lsa-256-angular folder> [/usr/share/wordnet] [count]
Keeps the `count` synsets (default 10,000) that are the most frequent sense of the most tagged lemmas
(WordNet's index.<pos> tagsense_cnt), so the demo speaks common words. Each unit vector is stored as a
float32 scale + 256 int8 codes (round(v / scale), scale = max|v| / 127), gzip'ed: wordnet-demo.bin.gz.
Ids (pos:offset, as in the source dataset) go to wordnet-demo.ids, one per line, in the same order.
"""
import gzip, os, struct, sys

src = sys.argv[1]
wordnet = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/wordnet"
count = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
here = os.path.dirname(os.path.abspath(__file__))

score = {}
for pos in ("noun", "verb", "adj", "adv"):
    with open(os.path.join(wordnet, "index." + pos), encoding="utf-8") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split()
            synsets, pointers = int(fields[2]), int(fields[3])
            tagged = int(fields[5 + pointers])
            offsets = fields[6 + pointers:6 + pointers + synsets]
            if tagged > 0 and offsets:
                key = f"{pos}:{offsets[0]}"
                score[key] = max(score.get(key, 0), tagged)

ids = [l.strip() for l in open(os.path.join(src, "base_ids.txt"), encoding="utf-8")]
ranked = sorted((i for i, k in enumerate(ids) if k in score), key=lambda i: (-score[ids[i]], i))[:count]
ranked.sort()
dim = 256
record = 4 + 4 * dim
with open(os.path.join(src, "base.fvecs"), "rb") as f, gzip.open(os.path.join(here, "wordnet-demo.bin.gz"), "wb", 9) as out:
    out.write(struct.pack("<4sii", b"PWD1", len(ranked), dim))
    for row in ranked:
        f.seek(row * record)
        d, = struct.unpack("<i", f.read(4))
        assert d == dim
        v = struct.unpack(f"<{dim}f", f.read(4 * dim))
        scale = max(abs(x) for x in v) / 127.0
        out.write(struct.pack("<f", scale))
        out.write(bytes((round(x / scale) & 0xFF) for x in v))
with open(os.path.join(here, "wordnet-demo.ids"), "w", encoding="utf-8") as out:
    out.write("\n".join(ids[r] for r in ranked) + "\n")
print(f"{len(ranked)} synsets written")
