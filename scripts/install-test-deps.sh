#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real (browser, proxies, SMB, PostgreSQL, HAProxy,
# Kerberos), only when missing, then builds the optional npm `kerberos` module if `npm ci` could not
# (no Kerberos headers yet).
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# systemd: systemd-analyze verifies the generated units; zip/unzip: the Windows zip; adduser: the .deb's maintainer scripts.
# postgresql-15, haproxy: the back office at scale (private clusters and load balancers per test file).
# krb5-*: a private KDC and kinit for Negotiate proxies.
for pkg in chromium squid samba smbclient tinyproxy curl openssl systemd zip unzip adduser postgresql-15 haproxy krb5-kdc krb5-admin-server krb5-user libkrb5-dev; do
  have "$pkg" || need+=("$pkg")
done
install_debian() {
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "test dependencies: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
  # The packaged daemons start themselves on install; the tests run their own private instances.
  for svc in squid smbd nmbd samba-ad-dc tinyproxy winbind postgresql haproxy krb5-kdc krb5-admin-server; do
    $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || $SUDO service "$svc" stop >/dev/null 2>&1 || true
  done
  # Debian's packaged PostgreSQL cluster (port 5432) is not used: the tests run private clusters.
  $SUDO pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
}
if [ ${#need[@]} -eq 0 ]; then
  echo "test dependencies: all present"
else
  install_debian
fi

# `kerberos` is an optional dependency built from source: on a fresh machine `npm ci` runs before the
# headers (libkrb5-dev) are here, its build fails softly and npm leaves it out. Build it now, at the
# locked version, without touching package.json or the lock file.
cd "$(dirname "$0")/.."
if ! node -e "require('kerberos')" >/dev/null 2>&1; then
  version=$(node -p "require('./package-lock.json').packages['node_modules/kerberos'].version")
  echo "test dependencies: building the kerberos module $version"
  npm install --no-save --no-audit --no-fund "kerberos@$version"
  node -e "require('kerberos')"
fi
