# Sourced by the Wine tests: a quiet, display-less Wine whose vssapi.dll is the one beside the program.
# WINE and WINEPREFIX come from meson (a prefix under the build folder, made once by wineboot).
export WINEDEBUG=-all
# Ours ("n": the DLL beside the program) before Wine's builtin; no Mono, Gecko or desktop menus.
export WINEDLLOVERRIDES="vssapi=n;mscoree=;mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
wine_ready() {
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    "$WINE" wineboot -i >/dev/null 2>&1 || return 1
    "$(dirname "$WINE")/wineserver" -w 2>/dev/null || true
  fi
}
# A Linux path as the Windows program sees it: Wine's Z: drive is /.
winpath() { printf 'Z:%s' "${1//\//\\}"; }
