#!/usr/bin/env bash
# Writes acceptd(8) in roff to stdout, generated from the program's own --help output (root and
# every verb), so the man page never drifts from the CLI. Usage: make-manpage.sh BINARY VERSION
set -euo pipefail
binary=$1
version=$2

# roff-escape help text: backslashes, and a leading '.' or '\'' which roff would read as a request.
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

section() { # heading, then the text preformatted as printed
  printf '.SH %s\n.nf\n' "$1"
  escape
  printf '.fi\n'
}

root_help=$("$binary" --help)
commands=$(printf '%s\n' "$root_help" | awk '/^Commands:/ { in_commands = 1; next } in_commands && /^  [a-z]/ { print $1 }')

printf '.TH ACCEPTD 8 "" "acceptd %s" "System Administration"\n' "$version"
printf '.SH NAME\nacceptd \\- device acceptance agent for confidential virtual machines\n'
printf '%s\n' "$root_help" | section "OVERVIEW"
for command in $commands; do
  "$binary" "$command" --help | section "ACCEPTD $(printf '%s' "$command" | tr '[:lower:]' '[:upper:]')"
done
cat <<'ROFF'
.SH FILES
.TP
.I /etc/acceptd/acceptd.conf
Daemon settings (mode, prebound-denied, hotplug, lock-after-coldplug, state-dir).
.TP
.I /usr/lib/acceptd/rules.d/, /etc/acceptd/rules.d/
Policy rules shipped with the package and added by the administrator.
.TP
.I /run/acceptd/
Decisions and event log; survives the initrd's switch-root.
.SH SEE ALSO
.BR systemctl (1),
.BR journalctl (1),
.BR dracut (8),
.BR initramfs-tools (7)
ROFF
