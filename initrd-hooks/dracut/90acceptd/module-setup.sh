#!/bin/bash
# dracut module: AcceptD decides every device in the initrd before udev can bind it.
#
# Boot flow inside the image: the kernel runs /init, which this module points at acceptd-early-init
# (drivers_autoprobe=0 on every bus, then exec of systemd), so no boot loader change (rdinit=) is
# needed; then acceptd-initrd.service runs before systemd-udevd.
#
# The binary is a NativeAOT ELF linked against libc and libm only (ldd sees them); it is already
# stripped, so dracut's own stripping changes nothing.
#
# ACCEPTD_DRACUT_SOURCE (optional) is a directory holding an unpacked acceptd package to take
# AcceptD's own files from instead of / (used by the tests).

# shellcheck disable=SC2154 # moddir, initdir, systemdsystemunitdir, SYSTEMCTL are set by dracut

acceptd_source() {
    printf '%s%s' "${ACCEPTD_DRACUT_SOURCE:-}" "$1"
}

check() {
    [[ -f $(acceptd_source /usr/bin/acceptd) ]] || return 1
    # Only when asked for (--add acceptd or add_dracutmodules+=" acceptd ").
    return 255
}

depends() {
    echo systemd systemd-journald dbus
}

installkernel() {
    # Guest attestation/TSM drivers (tdx-guest, sev-guest, ...), needed to verify TDISP devices.
    hostonly='' instmods -s =drivers/virt/coco
}

# A policy error must fail the image build, naming file:line, not lock the guest out at boot.
check_policy() { # BINARY
    local dir dirs=()
    for dir in "$(acceptd_source /usr/lib/acceptd/rules.d)" /etc/acceptd/rules.d; do
        [[ -d $dir ]] && dirs+=("$dir")
    done
    "$1" policy check "${dirs[@]}" >&2 && return 0
    dfatal "acceptd: the policy above has errors; fix them (acceptd policy check) and rebuild the initrd"
    return 1
}

install() {
    local binary early unit
    binary=$(acceptd_source /usr/bin/acceptd)
    # dracut (059) ignores install()'s status, so a bad policy stops the build here (its EXIT trap cleans up).
    check_policy "$binary" || exit 1
    early=$(acceptd_source /usr/lib/acceptd/acceptd-early-init)
    # The package puts units in /usr/lib/systemd/system; $systemdsystemunitdir may be /lib/... (Debian).
    unit=$(acceptd_source /usr/lib/systemd/system/acceptd-initrd.service)

    inst_binary "$binary" /usr/bin/acceptd

    # Loaded with dlopen, so ldd does not see them: libsystemd for sd-bus, and OpenSSL, which .NET's
    # System.Security.Cryptography uses for SHA-256/384 and certificate signatures. The daemon checks
    # both before it touches anything (exit code 5 naming the missing library).
    inst_libdir_file "libsystemd.so.0*" "libssl.so.3*" "libcrypto.so.3*"

    inst_simple "$unit" "$systemdsystemunitdir/acceptd-initrd.service"
    $SYSTEMCTL -q --root "$initdir" enable acceptd-initrd.service

    # The bus policy that lets the daemon own org.acceptd1 (without it: "Permission denied").
    local policy
    for policy in "$(acceptd_source /usr/share/dbus-1/system.d)"/org.acceptd1*.conf; do
        [[ -f $policy ]] && inst_simple "$policy" "/usr/share/dbus-1/system.d/${policy##*/}"
    done

    inst_script "$early" /usr/lib/acceptd/acceptd-early-init
    ln -sfn usr/lib/acceptd/acceptd-early-init "$initdir/init"

    # Policy: the shipped rules, then the administrator's configuration and rules from this system.
    local rules
    for rules in "$(acceptd_source /usr/lib/acceptd/rules.d)"/*.rules; do
        [[ -f $rules ]] && inst_simple "$rules" "/usr/lib/acceptd/rules.d/${rules##*/}"
    done
    inst_multiple -o /etc/acceptd/acceptd.conf "/etc/acceptd/rules.d/*.rules"
    return 0
}
