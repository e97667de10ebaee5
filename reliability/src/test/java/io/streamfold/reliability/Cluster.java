package io.streamfold.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A deployment of both services as child processes on one broker and registry, isolated from other
 * tests by its topic prefix and application ids.
 */
final class Cluster implements AutoCloseable {
  final String prefix;
  final List<ServiceProcess> commands = new ArrayList<>();
  final List<ServiceProcess> projections = new ArrayList<>();

  private Cluster(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Starts {@code commandInstances} command-service and {@code projectionInstances}
   * projection-service processes and waits until all are ready.
   *
   * @param extra variables added to (or overriding) every instance's environment
   */
  static Cluster start(
      String name,
      String bootstrapServers,
      String registryUrl,
      int commandInstances,
      int projectionInstances,
      Map<String, String> extra) {
    String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    Cluster cluster = new Cluster(unique + ".");
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("KEY_ENCRYPTION_KEY", io.streamfold.command.it.Instances.TEST_KEY_ENCRYPTION_KEY);
    env.put("TOPIC_PREFIX", cluster.prefix);
    env.put("TOPIC_PARTITIONS", "6");
    env.put("NUM_STANDBY_REPLICAS", "1");
    // A killed instance's partitions move after the session time-out; the tests kill often.
    env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1500");
    env.putAll(extra);
    Map<String, String> commandEnv = new HashMap<>(env);
    commandEnv.put("APPLICATION_ID", unique + "-commands");
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", unique + "-projections");
    for (int i = 0; i < commandInstances; i++) {
      cluster.commands.add(
          new ServiceProcess(name + "-command-" + i, ServiceProcess.Kind.COMMAND, commandEnv));
    }
    for (int i = 0; i < projectionInstances; i++) {
      cluster.projections.add(
          new ServiceProcess(
              name + "-projection-" + i, ServiceProcess.Kind.PROJECTION, projectionEnv));
    }
    // The first command instance creates the topics; the rest start together.
    cluster.commands.get(0).start().awaitReady(Duration.ofSeconds(120));
    List<ServiceProcess> rest = new ArrayList<>(cluster.commands.subList(1, commandInstances));
    rest.addAll(cluster.projections);
    rest.forEach(ServiceProcess::start);
    cluster.awaitReady(Duration.ofSeconds(120));
    return cluster;
  }

  void awaitReady(Duration timeout) {
    List<ServiceProcess> all = new ArrayList<>(commands);
    all.addAll(projections);
    CompletableFuture.allOf(
            all.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(timeout)))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  List<String> commandUrls() {
    return commands.stream().map(ServiceProcess::url).toList();
  }

  List<String> projectionUrls() {
    return projections.stream().map(ServiceProcess::url).toList();
  }

  String eventsTopic() {
    return prefix + "accounts.events";
  }

  @Override
  public void close() {
    projections.forEach(ServiceProcess::close);
    commands.forEach(ServiceProcess::close);
  }
}
