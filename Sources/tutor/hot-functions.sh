#!/bin/bash
# Writes hot-functions.txt: the functions of a release tutor that run in everyday use (the home
# screen, a lesson, a quiz, a review, `tutor progress`, `tutor --version`), as callgrind counts
# them. The release link places them together, so a session touches fewer pages of code. The
# start-up every command shares (`--version`) comes first, then `tutor progress`, the home
# screen and the rest: ordered so, `tutor --version` peaks at 4 MB instead of 8.7 MB, and
# `tutor progress` at 10 MB instead of 12 (the home screen's first paint did not move).
# Run from the repository after `swift build -c release`; needs valgrind and tmux.
# A stale list only costs memory: names it no longer finds are skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/.build/release/tutor
work=$(mktemp -d)
trap 'tmux -L hot kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
objcopy --strip-debug "$bin" "$work/tutor"  # valgrind 3.19 cannot read its DWARF 5
"$root/.build/release/tutor-bench" "$root" --make-store "$work/store.sqlite" --answers 300 --learner hot >/dev/null
env=(TUTOR_COURSE="$root" TUTOR_STORE="$work/store.sqlite" TUTOR_LEARNER=hot LANG=C.UTF-8)
profile() {  # name arguments, then the keys typed once it has started
  local name=$1 arguments=$2
  shift 2
  tmux -L hot new-session -d -s "$name" -x 80 -y 24 \
    "env ${env[*]} valgrind --tool=callgrind --demangle=no --callgrind-out-file=$work/$name.out $work/tutor $arguments 2>$work/$name.err"
  sleep 8
  for key in "$@"; do tmux -L hot send-keys -t "$name" "$key" 2>/dev/null || true; sleep 1.5; done
  for _ in $(seq 1 80); do grep -q refs "$work/$name.err" 2>/dev/null && break; sleep 0.5; done
}
profile home "" Down Enter q q q
profile study "study dre-definition" Space Space Space a Enter Space q q
profile quiz "quiz dre-definition" a Enter Space b Enter Space q y q
profile review "review" q q
env "${env[@]}" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/progress.out" "$work/tutor" progress >/dev/null 2>&1
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/version.out" "$work/tutor" --version >/dev/null 2>&1
for name in version progress home study quiz review; do
  callgrind_annotate --inclusive=no --threshold=100 "$work/$name.out" | grep "$work/tutor\]" |
    sed -E 's/.*\?\?\?:([^ ]+) \[.*/\1/; s/'"'"'[0-9]+$//'
done | grep -v -e '^0x' -e 'below main' | awk '!seen[$0]++' >"$root/Sources/tutor/hot-functions.txt"
wc -l "$root/Sources/tutor/hot-functions.txt"
