# shellcheck shell=sh
# Hotplug over QMP: an allowed virtio-net on rp1 ends bound at both levels; a denied e1000 on rp2,
# whose module is already loaded, is bound by the kernel at once (pitfall B), so acceptd must unbind
# it and record a violation.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd hotplug || exit 0

modprobe e1000
start_daemon
if wait_coldplug coldplug-complete 150; then
  hotplug '{"driver":"virtio-net-pci","id":"hot1","bus":"rp1","romfile":""}'
  hotplug '{"driver":"e1000","id":"hot2","bus":"rp2","romfile":""}'
  t0=$(uptime_s)
  if wait_until 30 test -e /sys/bus/pci/devices/0000:02:00.0/vendor; then
    # Poll fast: the kernel's e1000 bind and acceptd's unbind may both be over within a second.
    seen=none
    while [ "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{print (b-a < 20)}')" = 1 ]; do
      d=$(pci_driver 0000:02:00.0)
      [ "$d" = none ] || seen=$d
      [ "$seen" != none ] && [ "$d" = none ] && break
      sleep 0.1
    done
    echo "ACCEPTD-TIMING hotplug-e1000 driver seen bound: $seen; unbound $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s", b-a}') after the request"
    expect hot-e1000-unbound "$(pci_driver 0000:02:00.0)" none "driver of 0000:02:00.0"
    hot_add_is_violation() { [ "$(state_field pci/0000:02:00.0 state)" = violation ]; } # read again on every try
    wait_until 10 hot_add_is_violation
    expect_state hot-e1000-violation pci/0000:02:00.0 violation
  else
    fail hot-e1000-appears "0000:02:00.0 did not appear within 30 s"
  fi
  hot_virtio_net_bound() { [ "$(virtio_driver 0000:01:00.0)" = virtio_net ]; } # read again on every try
  if wait_until 30 hot_virtio_net_bound; then
    echo "ACCEPTD-TIMING hotplug-virtio-net bound $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s", b-a}') after the request"
  fi
  expect_virtio_bound hot-virtio-net 0000:01:00.0 virtio_net
  expect_denied coldplug-e1000 0000:00:04.0
fi
dump_daemon
