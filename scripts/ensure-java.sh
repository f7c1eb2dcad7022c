#!/usr/bin/env bash
# DynamoDB Local (the tests' and `npm start`'s database) runs on Java 17 or newer.
# Machines of this project's kind ship it; this installs it where it is missing and we may.
set -euo pipefail
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Java 17+ not found: installing openjdk-17-jre-headless (for DynamoDB Local)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  exit 0
fi
echo "DynamoDB Local needs Java 17 or newer. Install it, e.g.: sudo apt-get install -y openjdk-17-jre-headless" >&2
exit 1
