package io.streamfold.bench;

import io.streamfold.devstack.ChildJvm;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * projection-service in a JVM of its own, from this JVM's class path, with the JVM settings {@code
 * ./run.sh} gives the services (C2 included), a free loopback port and a state directory of its
 * own; closing it stops the process and deletes its state.
 */
final class ProjectionProcess implements AutoCloseable {
  private final ChildJvm child;
  private final Path state;
  private final int port;

  private ProjectionProcess(ChildJvm child, Path state, int port) {
    this.child = child;
    this.state = state;
    this.port = port;
  }

  /**
   * The settings every such instance needs: where Kafka and the registry are, its application and
   * the key-encryption key (a mutable map, for the caller's own settings).
   */
  static Map<String, String> settings(
      String bootstrap, String registryUrl, String applicationId, String keyEncryptionKey) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("APPLICATION_ID", applicationId);
    env.put("KEY_ENCRYPTION_KEY", keyEncryptionKey);
    return env;
  }

  /**
   * @param env the service's settings beyond its port, state directory and advertised address
   *     (bootstrap servers, registry, application id, key-encryption key, ...)
   * @param jvmOptions added after the defaults (e.g. a profiler agent)
   */
  static ProjectionProcess start(
      String name, Map<String, String> env, List<String> jvmOptions, Path log) {
    Path state = Dirs.temporary(name + "-state-");
    int port = Ports.freeLoopbackPort();
    List<String> jvm = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xmx1g"));
    jvm.addAll(jvmOptions);
    jvm.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.streamfold.projection.Main"));
    Map<String, String> all = new HashMap<>(env);
    all.put("HTTP_HOST", "127.0.0.1");
    all.put("HTTP_PORT", Integer.toString(port));
    all.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    all.put("STATE_DIR", state.toString());
    return new ProjectionProcess(ChildJvm.start(name, jvm, all, log), state, port);
  }

  long pid() {
    return child.pid();
  }

  /** Its HTTP address. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    child.close();
    Dirs.deleteRecursively(state);
  }
}
