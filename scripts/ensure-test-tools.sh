#!/usr/bin/env bash
# Tools the tests drive as a user would, from Debian: the AWS CLI v2 (`awscli`, /usr/bin/aws; the
# Step Functions API test points it at the local stack) and Chromium's headless shell
# (`chromium-headless-shell`; the web app, the console and the sign-in pages are driven in
# it). Installs whichever is missing, with one apt-get update, where we are root with apt;
# otherwise says what to install. Runs unattended (CI=true, no stdin).
set -euo pipefail
missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt (used by the tests)" >&2
  if apt-get update -qq </dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install ${missing[*]}: the tests that drive them will fail. Install them by hand: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "The tests need ${missing[*]} (Debian packages). Install them, e.g.: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
exit 1
