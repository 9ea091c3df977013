# shellcheck shell=sh
# Measured topology on a real TPM 2.0 (Debian's swtpm, attached by host.sh as tpm-crb): acceptd
# extends PCR 23 through /dev/tpmrm0 and keeps the TCG2/AAEL log; the PCR read from sysfs is what
# `acceptd attest verify` replays the log to. The daemon is then SIGKILLed three times and the disk
# left as a kill between the steps leaves it — (1) after the extend, before the append: the last
# entry only in the write-ahead file; (2) after the append, before the write-ahead file is removed:
# the last entry in both; (3) after the write-ahead, before the extend: a write-ahead entry whose
# digest the PCR never received (the last record with one digest byte changed) — and each restart
# must commit (1), remove only the copy (2), drop (3), say so, and stay in step with the PCR.
# The log and the PCR go to the host (host.sh check), which verifies them with acceptd and tpm2_eventlog.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd measured-tpm || exit 0

EVENTLOG=/run/acceptd/eventlog
WAL=/run/acceptd/.wal_event_entry
SYSPCR=/sys/class/tpm/tpm0/pcr-sha256/23
pcr() { tr 'A-F' 'a-f' <"$SYSPCR"; }
size() { wc -c <"$EVENTLOG" | tr -d ' '; }
verify() { acceptd attest verify --log "$EVENTLOG" --pcr "23=$(pcr)" --boot-id "$(cat /proc/sys/kernel/random/boot_id)"; }
# Byte offset of the last record: the header is 65 bytes, each SHA-256 record 50 + its data size.
last_record() {
  off=65 last=65 total=$(size)
  while [ "$off" -lt "$total" ]; do
    last=$off
    off=$((off + 50 + $(od -An -tu4 -j $((off + 46)) -N4 "$EVENTLOG" | tr -d ' ')))
  done
  echo "$last"
}
restart_and_wait_for() { # NAME WORD: SIGKILL was already sent; start again and wait for the reconciliation's WORD
  mv "$DAEMON_LOG" "/tmp/acceptd-before-$1.log"
  start_daemon
  if wait_until 120 grep -q "write-ahead entry .*: $2" "$DAEMON_LOG"; then pass "$1"; else fail "$1" "no 'write-ahead entry …: $2' in the log"; fi
  wait_until 60 grep -q 'and match the register' "$DAEMON_LOG"
}

if [ ! -c /dev/tpmrm0 ] || [ ! -r "$SYSPCR" ]; then
  fail tpm-present "no /dev/tpmrm0 or $SYSPCR (swtpm not attached, or no TPM driver)"
  exit 0
fi
expect pcr23-starts-at-zero "$(pcr)" 0000000000000000000000000000000000000000000000000000000000000000

start_daemon
wait_coldplug measured-coldplug-complete 150 || { dump_daemon; exit 0; }
expect_common_policy_applied measured
expect_match measured-by-tpm "$(grep -o 'measurement: tpm: tpm2-pcr23 via /dev/tpmrm0[^;]*' "$DAEMON_LOG")" 'tpm2-pcr23'
expect_match pcr23-extended "$(pcr)" '[1-9a-f]' "PCR 23 after coldplug"
expect_match guest-verify "$(verify 2>&1)" '^OK: [1-9][0-9]* AcceptD entries'
pcr_before=$(pcr) size_before=$(size)

# (1) killed after the extend, before the entry reached the log.
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null
cut=$(last_record)
tail -c $((size_before - cut)) "$EVENTLOG" >"$WAL"
head -c "$cut" "$EVENTLOG" >/tmp/eventlog.cut && cat /tmp/eventlog.cut >"$EVENTLOG"
restart_and_wait_for kill-after-extend-committed committed
expect log-whole-again "$(size)" "$size_before" "log size after the commit"
expect pcr-unchanged-by-commit "$(pcr)" "$pcr_before" "PCR 23"
expect_match verify-after-commit "$(verify 2>&1)" '^OK:'

# (2) killed after the append, before the write-ahead file was removed.
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null
tail -c $((size_before - $(last_record))) "$EVENTLOG" >"$WAL"
restart_and_wait_for kill-after-append-copy-removed "its write-ahead copy removed"
expect copy-gone "$([ -e "$WAL" ] && echo present || echo gone)" gone "write-ahead file"
expect log-unchanged-by-removal "$(size)" "$size_before" "log size after the removal"
expect pcr-unchanged-by-removal "$(pcr)" "$pcr_before" "PCR 23"

# (3) killed after the write-ahead, before the extend: the PCR never received this record's digest
# (it starts 14 bytes into the record: PCR index, event type, digest count, algorithm id).
kill -9 "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null
tail -c $((size_before - $(last_record))) "$EVENTLOG" >"$WAL"
printf '\377' | dd of="$WAL" bs=1 seek=14 conv=notrunc status=none
restart_and_wait_for kill-before-extend-dropped dropped
expect wal-gone "$([ -e "$WAL" ] && echo present || echo gone)" gone "write-ahead file"
expect log-unchanged-by-drop "$(size)" "$size_before" "log size after the drop"
expect_match verify-after-drop "$(verify 2>&1)" '^OK:'

echo "ACCEPTD-PCR 23 $(pcr)"
export_file "$EVENTLOG" eventlog
dump_daemon
