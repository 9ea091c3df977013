# shellcheck shell=bash
# The emulated PCI devices every boot of the QEMU tiers gets, at fixed BDFs (docs/vm-tests.md). Sourced.
# No network backend leaves the VM: the NIC sits on a QEMU-internal hub port with nothing else on it.
# shellcheck disable=SC2054,SC2034 # commas belong to QEMU's option syntax; used by the sourcing script
qemu_devices=(
  -netdev hubport,id=hp0,hubid=0 -device virtio-net-pci,netdev=hp0,addr=0x3,romfile=
  -device e1000,addr=0x4,romfile= -device e1000e,addr=0x5,romfile=
  -device virtio-rng-pci,addr=0x6
  -blockdev driver=null-co,node-name=null0,size=67108864 -device virtio-blk-pci,drive=null0,addr=0x7
  -device rtl8139,addr=0x8,romfile=
)
