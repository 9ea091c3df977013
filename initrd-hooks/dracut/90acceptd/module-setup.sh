#!/bin/bash
# dracut module: AcceptD decides every device in the initrd before udev can bind it.
#
# Boot flow inside the image: the kernel runs /init, which this module points at acceptd-early-init
# (drivers_autoprobe=0 on every bus, then exec of systemd), so no boot loader change (rdinit=) is
# needed; then acceptd-initrd.service runs before systemd-udevd.
#
# Pitfall: dracut strips every *executable* ELF file, which destroys the .NET single-file bundle.
# The binary is therefore stored without execute bits and made executable at boot (ExecStartPre=
# in a drop-in), so it survives an image built with or without --nostrip.
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

    # Resolve the shared libraries ldd reports (libstdc++, libgcc_s, ...) now: dracut's lazy
    # resolution at the end only looks at executable files, and this one will not be executable.
    DRACUT_RESOLVE_DEPS=1 inst_binary "$binary" /usr/bin/acceptd
    chmod 0644 "$initdir/usr/bin/acceptd"
    inst_dir "$systemdsystemunitdir/acceptd-initrd.service.d"
    printf '[Service]\nExecStartPre=/usr/bin/chmod 0755 /usr/bin/acceptd\n' \
        > "$initdir$systemdsystemunitdir/acceptd-initrd.service.d/50-exec-bit.conf"
    inst_multiple chmod

    # Loaded with dlopen, so ldd does not see them: sd-bus (P/Invoke) and OpenSSL, which .NET's
    # System.Security.Cryptography uses for hashing (without it the daemon aborts: "No usable
    # version of libssl was found").
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
