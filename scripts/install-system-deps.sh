#!/usr/bin/env bash
# Installs the Debian packages kaoping's tests need, if they are missing. Safe to run repeatedly.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# (grep without -q reads all of fc-list's output: with pipefail, -q's early exit made fc-list fail on SIGPIPE.)
fc-list 2>/dev/null | grep -i 'noto sans cjk' >/dev/null || need+=(fonts-noto-cjk)
# The dashboard's browser tests (test/e2e) drive Debian's Chromium with playwright-core.
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "缺少系统软件包：${need[*]}。请以 root 运行，或手动安装：apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
