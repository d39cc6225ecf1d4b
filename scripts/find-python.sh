#!/bin/sh
# Print the path of a Python 3.12 (preferred) or 3.13 interpreter, or explain and fail.
# Looks on PATH, then in pyenv's versions folder, then in the usual system places.
set -u

works() {
    # A pyenv shim can exist for a version that is not active: run it to be sure.
    "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == tuple(map(int, sys.argv[1].split(".")))
else 1)' "$2" >/dev/null 2>&1
}

for version in 3.12 3.13; do
    candidates=""
    found=$(command -v "python$version" 2>/dev/null) && candidates="$found"
    for root in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
        [ -n "$root" ] || continue
        for dir in "$root"/versions/"$version"*; do
            [ -x "$dir/bin/python$version" ] && candidates="$candidates $dir/bin/python$version"
        done
    done
    candidates="$candidates /usr/local/bin/python$version /usr/bin/python$version"
    found=$(command -v python3 2>/dev/null) && candidates="$candidates $found"
    for candidate in $candidates; do
        if [ -x "$candidate" ] && works "$candidate" "$version"; then
            echo "$candidate"
            exit 0
        fi
    done
done

cat >&2 <<'MSG'
Gendan needs Python 3.12 (or 3.13) and none was found.
Install it, for example:
  Debian/Ubuntu:  sudo apt install python3.12 python3.12-venv
  pyenv:          pyenv install 3.12
then run make again (or put the interpreter on PATH).
MSG
exit 1
