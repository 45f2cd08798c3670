#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real (browser, proxies, SMB, PostgreSQL, HAProxy),
# only when missing.
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# systemd: systemd-analyze verifies the generated units; zip/unzip: the Windows zip; adduser: the .deb's maintainer scripts.
# postgresql-15, haproxy: the back office at scale (private clusters and load balancers per test file).
for pkg in chromium squid samba smbclient tinyproxy curl openssl systemd zip unzip adduser postgresql-15 haproxy; do
  have "$pkg" || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "test dependencies: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "test dependencies: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
# The packaged daemons start themselves on install; the tests run their own private instances.
for svc in squid smbd nmbd samba-ad-dc tinyproxy winbind postgresql haproxy; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
# Debian's packaged PostgreSQL cluster (port 5432) is not used: the tests run private clusters.
$SUDO pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
