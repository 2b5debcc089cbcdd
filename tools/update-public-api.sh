#!/usr/bin/env bash
# Records public API changes of the packages in their PublicAPI.Unshipped.txt: additions through the
# analyzer's code fix (RS0016), removals (RS0017) as *REMOVED* lines for shipped symbols or by dropping
# unshipped ones. Review the diff: it is the change.
#   tools/update-public-api.sh [src/X/X.csproj ...]   (default: every package)
set -uo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/*/*.csproj)
for p in "${projects[@]}"; do
  dotnet format analyzers "$p" --diagnostics RS0016 RS0037 --severity info -v q
  dir=$(dirname "$p")
  dotnet build "$p" -c Release --no-incremental 2>&1 \
    | sed -n "s/.*error RS0017: Symbol '\(.*\)' is part of the declared API.*/\1/p" | sort -u \
    | python3 -c '
import sys
d = sys.argv[1]
shipped = open(d + "/PublicAPI.Shipped.txt").read().splitlines()
unshipped_path = d + "/PublicAPI.Unshipped.txt"
unshipped = open(unshipped_path).read().splitlines()
for symbol in (l.rstrip("\n") for l in sys.stdin if l.strip()):
    if symbol in unshipped:
        unshipped.remove(symbol)
    elif symbol in shipped and "*REMOVED*" + symbol not in unshipped:
        unshipped.append("*REMOVED*" + symbol)
head, rest = unshipped[:1], sorted(set(unshipped[1:]), key=lambda s: s.replace("*REMOVED*", ""))
open(unshipped_path, "w").write("\n".join(head + rest) + "\n")
' "$dir"
done
git --no-pager diff --stat -- 'src/*/PublicAPI.*.txt'
