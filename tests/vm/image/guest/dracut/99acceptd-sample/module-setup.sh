#!/bin/bash
# Test only (tests/vm/image): samples the bindings in the initrd once the root file system is
# mounted, just before switch-root, for the booted system's report to compare.
# shellcheck disable=SC2154 # initdir, systemdsystemunitdir, SYSTEMCTL are set by dracut
check() { return 255; }
depends() { echo systemd; }
install() {
    inst_script /usr/lib/acceptd-test/acceptd-sample /usr/lib/acceptd-test/acceptd-sample
    inst_simple /usr/lib/acceptd-test/acceptd-sample-initrd.service "$systemdsystemunitdir/acceptd-sample-initrd.service"
    $SYSTEMCTL -q --root "$initdir" enable acceptd-sample-initrd.service
}
