#!/bin/bash
# vss-sim.1 stays true to --help: every subcommand and every exit code of the help is in the page.
# usage: man_page.sh VSS_SIM MAN_PAGE
set -eu
vss_sim=$1 page=$2
missing=0
help=$("$vss_sim" --help)
for command in $(sed -n '/^Subcommands:/,/^$/{/^  [a-z]/s/^  \([a-z-]*\).*/\1/p}' <<< "$help"); do
    grep -qx ".B $command" "$page" || { echo "man page: subcommand '$command' of --help is missing"; missing=1; }
done
for code in $(sed -n '/^Exit codes:/,/^$/{s/^  \([0-9]*\) .*/\1/p}' <<< "$help"); do
    grep -qx ".B $code" "$page" || { echo "man page: exit code $code of --help is missing"; missing=1; }
done
man_commands=$(sed -n '/^\.SH SUBCOMMANDS/,/^\.SH /{s/^\.B \([a-z-]*\)$/\1/p}' "$page" | wc -l)
help_commands=$(sed -n '/^Subcommands:/,/^$/{/^  [a-z]/p}' <<< "$help" | wc -l)
[ "$man_commands" -eq "$help_commands" ] || { echo "man page: $man_commands subcommands, --help $help_commands"; missing=1; }
[ "$missing" -eq 0 ]
echo "man page: $help_commands subcommands and the exit codes, as --help"
