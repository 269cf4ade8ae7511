#!/usr/bin/env bash
# Compiles the plugin's JenkinsRule tests (plugin/src/test) against stubs generated from the Jenkins API sheet
# (../shared/jenkins-api, beside every clone): they need the Jenkins repository to run, but here they at least
# compile against the real signatures. The stubs hold exactly what the sheet lists; no shim is on the class path.
# Every plugin test is compiled: one the sheet cannot compile fails this check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
api=../shared/jenkins-api

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 "$api/sig-stubs" --generic "$api/SIGNATURES.txt" "$t/stubs/src" > /dev/null
(cd "$t/stubs/src" && find . -name '*.java' > ../files && javac -nowarn -d ../classes @../files 2> ../javac.log) \
  || { cat "$t/stubs/javac.log" >&2; exit 1; }

# The plugin's Maven Central dependencies and JUnit, without this build's own classes (they hold the shim).
mvn -B -q -ntp -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$t/cp" < /dev/null
libs=$(cat "$t/cp")

find src/main/java -name '*.java' -not -path '*/cli/*' > "$t/main-files"
javac -nowarn -proc:none -parameters -d "$t/main" -cp "$t/stubs/classes:$libs" @"$t/main-files"

mapfile -t tests < <(find plugin/src/test/java -name '*.java' | sort)
javac -nowarn -proc:none -d "$t/test" -cp "$t/stubs/classes:$t/main:$libs" "${tests[@]}" \
  src/test/java/kr/everbit/deploy/sandbox/Sandbox.java
echo "check-plugin-tests: all ${#tests[@]} plugin test files compile against the API sheet"
