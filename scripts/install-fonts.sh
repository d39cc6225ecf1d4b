#!/bin/sh
# Install a CJK font for the printable forms (PDF via WeasyPrint), unless one is already there.
# Needs root (or sudo). Debian's fonts-noto-cjk provides "Noto Sans CJK SC", which the print
# style sheet asks for first; fontconfig finds it without further setup.
set -eu

if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh-cn family | grep -qi "Noto Sans CJK"; then
    echo "CJK font already installed: $(fc-list :lang=zh-cn family | grep -i 'Noto Sans CJK' | head -n 1)"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig
fc-cache -f >/dev/null 2>&1 || true
echo "installed: $(fc-list :lang=zh-cn family | grep -i 'Noto Sans CJK' | head -n 1)"
