#!/bin/sh
# embed.sh NAME FILE: print a C file defining `const char NAME[]` with the
# bytes of FILE (and NAME_len), so the bundled rules are built into the
# binary and `falconet run` works before anything is installed.
set -e
name=$1
file=$2
printf '/* Generated from %s by scripts/embed.sh: do not edit. */\n' "$(basename "$file")"
printf '#include <stddef.h>\n'
printf 'extern const char %s[];\nextern const size_t %s_len;\n' "$name" "$name"
printf 'const char %s[] =\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/ *$//' -e 's/^ *//' -e 's/ /\\x/g' -e 's/^/\t"\\x/' -e 's/$/"/'
printf ';\nconst size_t %s_len = sizeof(%s) - 1;\n' "$name" "$name"
