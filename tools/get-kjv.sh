#!/usr/bin/env bash
# Fetches the King James Bible (public domain) from Debian's bible-kjv-text package and writes plain text:
#   <out>/kjv.txt        every chapter (training corpus)
#   <out>/kjv-train.txt  all chapters except every 20th (chapters 20, 40, ... in canonical order)
#   <out>/kjv-val.txt    every 20th chapter (held-out validation split)
# Usage: tools/get-kjv.sh [outdir]   (default: data/)
# Needs root for apt-get (run 'apt-get update' once on a fresh machine; this script does it when the package is missing).
set -euo pipefail
out="${1:-data}"
mkdir -p "$out"

if ! dpkg -s bible-kjv-text >/dev/null 2>&1 || ! command -v bible >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bible-kjv bible-kjv-text >/dev/null
fi

# The data directory is where the package put its bible.data file.
datadir="$(dirname "$(dpkg -L bible-kjv-text | grep -m1 -E '/bible\.data$')")"

# 'bible -f -p DIR REF' prints one verse per line as "<Book><Chapter>:<Verse> <text>" (e.g. "Ge1:1 In the ...").
# Output: the verse text only, one verse per line, a blank line between chapters.
raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT
bible -f -p "$datadir" Gen1:1-Rev22:21 > "$raw"

awk -v all="$out/kjv.txt" -v tr="$out/kjv-train.txt" -v va="$out/kjv-val.txt" '
  {
    ref = $1; sub(/:[0-9]+$/, "", ref)
    if (ref != lastref) {
      if (chap > 0) { print "" > all; print "" > ((chap % 20 == 0) ? va : tr) }
      chap++; lastref = ref
    }
    text = $0; sub(/^[^ ]+ /, "", text)
    print text > all
    print text > ((chap % 20 == 0) ? va : tr)
  }
  END { printf "chapters: %d, held out: %d\n", chap, int(chap / 20) > "/dev/stderr" }
' "$raw"
wc -lc "$out"/kjv*.txt >&2
