#!/usr/bin/env bash
# DynamoDB Local (the tests' and `npm start`'s database) runs on Java 17 or newer, started through a small
# launcher compiled with javac (local/dynamodb/LoopbackDynamoDbLocal.java: loopback only), so a JDK, not a JRE.
# Machines of this project's kind ship it; this installs it where it is missing and we may.
set -euo pipefail
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "A JDK 17+ not found: installing openjdk-17-jdk-headless (for DynamoDB Local)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
  exit 0
fi
echo "DynamoDB Local needs a JDK 17 or newer (java and javac). Install it, e.g.: sudo apt-get install -y openjdk-17-jdk-headless" >&2
exit 1
