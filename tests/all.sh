#!/usr/bin/env bash
# THE one command for all tests: installs what the tests need when it is missing (nginx,
# Apache, Chromium, Java and OpenSSH's server from Debian's packages, moto's S3 server from
# PyPI, the Node packages of tests/browser/ from package-lock.json), then runs every test, the
# browser, server-rule, S3 and SFTP deploy tests included:
#     bash tests/all.sh
# Idempotent: when everything is there it installs nothing and goes straight to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages -----------------------------------------------------------------------
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || need+=(apache2)
[ -x /usr/bin/chromium ] || need+=(chromium)
java -version >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
if [ ${#need[@]} -gt 0 ]; then
    echo "tests/all.sh: installing ${need[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    # (The tests start their own nginx, Apache and sshd on free loopback ports, with their own
    # configuration; the system's services are not used and need not run. tests/deploy_sftp.rs
    # makes /run/sshd, which sshd wants as root, when the package's service never made it.)
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${need[@]}"
fi

# --- moto's S3 server for tests/deploy_s3.rs (from PyPI) ------------------------------------
if ! python3 -c 'import moto.server, flask, flask_cors' >/dev/null 2>&1; then
    echo "tests/all.sh: installing moto[server]"
    # Debian's own python3 refuses pip installs outside a venv unless told otherwise.
    python3 -m pip install --quiet 'moto[server]>=5,<6' \
        || python3 -m pip install --quiet --break-system-packages 'moto[server]>=5,<6'
fi

# --- Node packages of the browser tests (playwright-core, axe-core, vnu-jar) ----------------
# npm ci only when node_modules does not match package-lock.json. --ignore-scripts: vnu-jar's
# postinstall would download a Java runtime; the machine's Java is used instead.
lock=tests/browser/package-lock.json
stamp=tests/browser/node_modules/.installed-package-lock.json
if ! cmp -s "$lock" "$stamp" 2>/dev/null; then
    (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund)
    cp "$lock" "$stamp"
fi

# --- Every test ------------------------------------------------------------------------------
# TRANGTIN_BROWSER_TESTS=1: the browser tests and the server-rule tests (tests/server_rules.rs)
# fail, rather than skip, if anything is missing.
# TRANGTIN_FUZZ_SECONDS: the fuzz test (tests/fuzz_input.rs) runs for two minutes here.
# TRANGTIN_S3_TESTS=1: tests/deploy_s3.rs runs against moto's server (installed above).
# TRANGTIN_SFTP_TESTS=1: tests/deploy_sftp.rs runs against its own sshd (openssh-server above).
TRANGTIN_BROWSER_TESTS=1 TRANGTIN_S3_TESTS=1 TRANGTIN_SFTP_TESTS=1 TRANGTIN_FUZZ_SECONDS=${TRANGTIN_FUZZ_SECONDS:-120} cargo test --locked --workspace
