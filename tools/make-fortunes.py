#!/usr/bin/env python3
"""Builds a fortunes corpus from Debian's 'fortunes' package (apt-get install -y fortunes):
every file without an extension under /usr/share/games/fortunes/ (the '%'-separated text files), fortunes in
file-name order, one blank line between fortunes. Every 10th fortune is held out as validation.
Usage: tools/make-fortunes.py [outdir]  -> <outdir>/fortunes-train.txt, <outdir>/fortunes-val.txt"""
import os, sys

src = "/usr/share/games/fortunes"
out = sys.argv[1] if len(sys.argv) > 1 else "data"
os.makedirs(out, exist_ok=True)
fortunes = []
for name in sorted(os.listdir(src)):
    path = os.path.join(src, name)
    if "." in name or not os.path.isfile(path):
        continue
    with open(path, encoding="utf-8", errors="replace") as f:
        for piece in f.read().split("\n%\n"):
            text = piece.strip("%\n").rstrip()
            if text.strip():
                fortunes.append(text)
train = [t for i, t in enumerate(fortunes) if i % 10 != 9]
val = [t for i, t in enumerate(fortunes) if i % 10 == 9]
for fname, items in (("fortunes-train.txt", train), ("fortunes-val.txt", val)):
    with open(os.path.join(out, fname), "w", encoding="utf-8") as f:
        f.write("\n\n".join(items) + "\n")
print(f"{len(fortunes)} fortunes: {len(train)} train, {len(val)} validation")
