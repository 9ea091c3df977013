#!/usr/bin/env bash
# Host side of 20-measured-tpm (called by tests/vm/run.sh):
#   host.sh start DIR        start Debian's swtpm (TPM 2.0) in DIR; print QEMU's arguments, one a line
#   host.sh check DIR FILES LOG   check the guest's event log against the PCR it read; PASS/FAIL lines
#   host.sh stop DIR         stop swtpm
# ACCEPTD is the acceptd binary the guest runs (a host build of the same tree).
set -uo pipefail
dir=$2
case $1 in
  start)
    swtpm socket --tpm2 --tpmstate "dir=$dir" --ctrl "type=unixio,path=$dir/swtpm.sock" \
      --flags startup-clear --daemon --pid "file=$dir/swtpm.pid" --log "file=$dir/swtpm.log" || exit 1
    for _ in $(seq 50); do [ -S "$dir/swtpm.sock" ] && break; sleep 0.1; done
    printf '%s\n' -chardev "socket,id=chrtpm,path=$dir/swtpm.sock" -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-crb,tpmdev=tpm0
    ;;
  check)
    files=$3 log=$4
    pcr=$(sed -n 's/.*ACCEPTD-PCR 23 \([0-9a-f]\{64\}\).*/\1/p' "$log" | tail -n 1)
    if [ -z "$pcr" ] || [ ! -s "$files/eventlog" ]; then echo "FAIL host-measured-tpm: the guest sent no PCR value or no event log"; exit 0; fi
    if out=$("$ACCEPTD" attest verify --log "$files/eventlog" --pcr "23=$pcr" 2>&1); then
      echo "PASS host-attest-verify-reproduces-pcr23"
    else
      echo "FAIL host-attest-verify-reproduces-pcr23: $(tr '\n' ' ' <<<"$out")"
    fi
    replayed=$(tpm2_eventlog "$files/eventlog" 2>&1 | awk '/^pcrs:/ { p = 1 } p && $1 == "23" { print $3 }')
    if [ "$replayed" = "0x$pcr" ]; then echo "PASS host-tpm2-eventlog-computes-pcr23"
    else echo "FAIL host-tpm2-eventlog-computes-pcr23: tpm2_eventlog replays to '$replayed', the guest's PCR 23 is 0x$pcr"; fi
    cp "$files/eventlog" "$dir/tampered" && printf 'X' | dd of="$dir/tampered" bs=1 seek=200 conv=notrunc status=none
    if out=$("$ACCEPTD" attest verify --log "$dir/tampered" --pcr "23=$pcr" 2>&1); then
      echo "FAIL host-attest-verify-refuses-tampered-log: it passed"
    else
      grep -q 'entry 1: digest does not match' <<<"$out" && echo "PASS host-attest-verify-refuses-tampered-log" ||
        echo "FAIL host-attest-verify-refuses-tampered-log: $(tr '\n' ' ' <<<"$out")"
    fi
    ;;
  stop)
    [ -f "$dir/swtpm.pid" ] && kill "$(cat "$dir/swtpm.pid")" 2>/dev/null
    ;;
esac
exit 0
