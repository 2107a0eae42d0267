#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when they are missing, so `npm test` works on a new machine.
# Usage: cli/dev/ensure-system-packages.sh [chromium] [openssh] ...   (no argument = chromium)
#   chromium  Debian's chromium for the browser tests (CHROMIUM_PATH names another browser and skips the install)
#   openssh   openssh-server and openssh-client for the interop tests
#   tshark    Wireshark's command line, for comparisons
#   tcpdump   for recording captures (npm run bench, npm run traces)
#   others    SSH implementations other than OpenSSH, for cli/dev/others.test.ts and cli/dev/record-others.ts:
#             Dropbear (dropbear, dbclient), PuTTY's plink, Debian's python3 with paramiko, AsyncSSH and Twisted
#             Conch, libssh, libssh2, TinySSH's tinysshd, Erlang/OTP's ssh, Go's x/crypto/ssh (with the Go compiler)
#   dropbear putty paramiko asyncssh conch libssh libssh2 tinyssh erlang go   the same, one at a time
# Quiet when everything is there; installing needs root (or sudo) and Debian's package lists (apt-get update).
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(chromium)

# `others` stands for each of the non-OpenSSH implementations (and tcpdump, which records them).
expanded=()
for item in "${wanted[@]}"; do
  if [ "$item" = others ]; then expanded+=(dropbear putty paramiko asyncssh conch libssh libssh2 tinyssh erlang go tcpdump); else expanded+=("$item"); fi
done

missing=()
for item in "${expanded[@]}"; do
  case "$item" in
    chromium)
      if [ -n "${CHROMIUM_PATH:-}" ]; then
        [ -x "$CHROMIUM_PATH" ] || { echo "ensure-system-packages: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2; exit 1; }
      elif [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi ;;
    openssh)
      [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
      [ -x /usr/bin/ssh ] && [ -x /usr/bin/ssh-keygen ] || missing+=(openssh-client) ;;
    tshark)
      command -v tshark >/dev/null 2>&1 || missing+=(tshark) ;;
    tcpdump)
      command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump) ;;
    dropbear)
      [ -x /usr/sbin/dropbear ] && [ -x /usr/bin/dbclient ] && [ -x /usr/bin/dropbearkey ] || missing+=(dropbear-bin) ;;
    putty)
      [ -x /usr/bin/plink ] && [ -x /usr/bin/puttygen ] || missing+=(putty-tools) ;;
    paramiko)
      # Debian's python3 (not a pyenv or venv one first on PATH): the recorders run /usr/bin/python3.
      /usr/bin/python3 -c 'import paramiko' >/dev/null 2>&1 || missing+=(python3-paramiko) ;;
    asyncssh)
      /usr/bin/python3 -c 'import asyncssh' >/dev/null 2>&1 || missing+=(python3-asyncssh) ;;
    conch)
      /usr/bin/python3 -c 'import twisted.conch.ssh.transport' >/dev/null 2>&1 || missing+=(python3-twisted) ;;
    libssh)
      ls /usr/lib/*/libssh.so.4 >/dev/null 2>&1 || missing+=(libssh-4) ;;
    libssh2)
      ls /usr/lib/*/libssh2.so.1 >/dev/null 2>&1 || missing+=(libssh2-1) ;;
    erlang)
      [ -x /usr/bin/escript ] && ls -d /usr/lib/erlang/lib/ssh-* >/dev/null 2>&1 || missing+=(erlang-ssh) ;;
    go)
      command -v go >/dev/null 2>&1 || missing+=(golang-go)
      [ -d /usr/share/gocode/src/golang.org/x/crypto/ssh ] || missing+=(golang-golang-x-crypto-dev) ;;
    tinyssh)
      [ -x /usr/sbin/tinysshd ] && [ -x /usr/sbin/tinysshd-makekey ] || missing+=(tinysshd) ;;
    *) echo "ensure-system-packages: unknown package group '$item' (known: chromium openssh tshark tcpdump others dropbear putty paramiko asyncssh conch libssh libssh2 tinyssh erlang go)" >&2; exit 2 ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
  else
    echo "ensure-system-packages: the tests need the Debian packages: ${missing[*]}" >&2
    echo "  install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "  (or point CHROMIUM_PATH at a Chromium or Chrome binary)" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-packages: missing ${missing[*]} and this is not a Debian-like system (no apt-get);" >&2
  echo "  install them with your package manager, or set CHROMIUM_PATH to a Chromium or Chrome binary" >&2
  exit 1
fi

echo "ensure-system-packages: installing ${missing[*]} (once; this takes a minute)..."
log=$(mktemp)
policy=
cleanup() { rm -f "$log"; [ -n "$policy" ] && "${sudo[@]}" rm -f "$policy"; return 0; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
# openssh-server's post-install would start the system sshd; the tests run their own private sshd and need none,
# so services are not started during this install (policy-rc.d, as in Debian containers) unless a policy exists.
if [[ " ${missing[*]} " == *" openssh-server "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\n# written by sshlens cli/dev/ensure-system-packages.sh for the duration of one install\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
fi
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "ensure-system-packages: could not install ${missing[*]} (apt-get failed, see above)" >&2
  exit 1
fi
echo "ensure-system-packages: installed ${missing[*]}"
