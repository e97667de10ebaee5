# Sourced by ./run.sh and ./streamfold from the project's root: builds the launcher and what it needs
# when never built, or when a source or build file changed since the last build, and sets
# $classpath to the file that lists its runtime classpath. The build leaves that file as it was
# when its content does not change, so it is touched afterwards: otherwise every later start
# would see the same changed source and build again.
classpath=launcher/target/launcher.classpath
if [ ! -f "$classpath" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$classpath" -type f 2>/dev/null | head -n 1)" ]; then
  echo "Building (first run, or sources changed)..." >&2
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl launcher -am package >&2
  touch "$classpath"
fi
