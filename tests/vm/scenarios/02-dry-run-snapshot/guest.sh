# shellcheck shell=sh
# acceptd dry-run and snapshot on a freshly booted guest: both change nothing; the snapshot is
# handed to the host (run.sh --refresh-snapshots stores it as tests/data/snapshots/qemu-virtio-guest.tar.gz).
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd dry-run || exit 0

before=$(pci_bindings)
out=$(acceptd dry-run --policy "$PWD/policy" 2>&1)
rc=$?
echo "$out"
expect dry-run-exit-0 "$rc" 0 "exit status of acceptd dry-run"
expect_match dry-run-names-virtio-net "$out" '0000:00:03\.0' "dry-run output"
expect_match dry-run-names-e1000 "$out" '0000:00:04\.0' "dry-run output"
expect dry-run-binds-nothing "$(pci_bindings)" "$before" "bound PCI devices"
expect dry-run-loads-nothing "$(cut -d' ' -f1 /proc/modules | tr '\n' ' ')" "" "loaded modules"

acceptd snapshot -o /tmp/s.tar.gz
expect snapshot-exit-0 "$?" 0 "exit status of acceptd snapshot"
if gzip -t /tmp/s.tar.gz 2>/dev/null && tar -tzf /tmp/s.tar.gz >/tmp/s.list &&
  grep -qx manifest.json /tmp/s.list && grep -q '^root/sys/bus/pci/' /tmp/s.list; then
  pass snapshot-is-a-tarball-of-sysfs
  export_file /tmp/s.tar.gz qemu-virtio-guest.tar.gz
else
  fail snapshot-is-a-tarball-of-sysfs "/tmp/s.tar.gz is missing, not a gzip tar, or lacks manifest.json or root/sys/bus/pci/"
fi
expect snapshot-binds-nothing "$(pci_bindings)" "$before" "bound PCI devices"
