# SETUP for steady.sh: the command-service jar of the variant (before, after; built aside)
setup() {
  local v=$1; [ "$v" = done ] && v=before
  cp /tmp/ab2/cs-$v.jar command-service/target/command-service-0.1.0-SNAPSHOT.jar
}
