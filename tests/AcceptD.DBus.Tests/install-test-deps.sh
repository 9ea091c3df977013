#!/usr/bin/env bash
# Debian packages the D-Bus tests run: a real dbus-daemon, busctl, gdbus, setpriv and python3-dbusmock (polkitd mock).
set -euo pipefail
pkgs=(dbus-daemon systemd libglib2.0-bin util-linux python3-dbusmock)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
