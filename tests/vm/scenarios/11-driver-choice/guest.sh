# shellcheck shell=sh
# 10ec:8139 (rtl8139) matches 8139cp and 8139too; the rule driver=8139cp decides.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd driver-choice || exit 0

start_daemon
if wait_coldplug coldplug-complete 150; then
  expect rtl8139-bound-to-8139cp "$(pci_driver 0000:00:08.0)" 8139cp "driver of 0000:00:08.0"
  expect_state rtl8139-state pci/0000:00:08.0 bound
  expect rtl8139-state-driver "$(state_field pci/0000:00:08.0 driver)" 8139cp "driver of pci/0000:00:08.0 in state.json"
  expect_denied e1000 0000:00:04.0
fi
dump_daemon
