package io.streamfold.bench;

import io.streamfold.command.CommandService;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.devstack.ApicurioRegistry;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.KafkaBroker;
import io.streamfold.devstack.Ports;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system under test, all on 127.0.0.1: a KRaft broker and a registry (child JVMs), one
 * command-service instance and two projection-service instances (so reads can be forwarded) in this
 * JVM, on temporary directories.
 */
final class Stack implements AutoCloseable {
  final KafkaBroker broker;
  final ApicurioRegistry registry;
  final CommandService commands;
  final List<ProjectionService> projections = new ArrayList<>();
  final Path root = Dirs.temporary("bench-");
  final Map<String, String> env = new HashMap<>();

  Stack(int partitions) {
    broker = KafkaBroker.builder().dataDir(root.resolve("kafka")).heap("1g").build().start();
    registry = ApicurioRegistry.start(0, "BACKWARD", root.resolve("registry"));
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    env.put("KEY_ENCRYPTION_KEY", Bench.KEY_ENCRYPTION_KEY);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("TOPIC_PARTITIONS", Integer.toString(partitions));
    env.put("COMMAND_TIMEOUT", "PT30S");
    commands =
        CommandService.start(
            CommandServiceConfig.fromEnv(instance("command", "streamfold-commands")),
            Clock.systemUTC());
    for (int i = 0; i < 2; i++) {
      projections.add(startProjection("streamfold-projections-bench", ""));
    }
  }

  /** Settings of one more instance: its own port and state directory. */
  Map<String, String> instance(String name, String applicationId) {
    Map<String, String> settings = new HashMap<>(env);
    int port = Ports.freeLoopbackPort();
    settings.put("HTTP_PORT", Integer.toString(port));
    settings.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    settings.put("APPLICATION_ID", applicationId);
    settings.put("STATE_DIR", root.resolve(name + "-" + port).toString());
    return settings;
  }

  ProjectionService startProjection(String applicationId, String topicPrefix) {
    return startProjection(applicationId, topicPrefix, 1);
  }

  ProjectionService startProjection(String applicationId, String topicPrefix, int streamThreads) {
    Map<String, String> settings = instance("projection", applicationId);
    settings.put("TOPIC_PREFIX", topicPrefix);
    settings.put("NUM_STREAM_THREADS", Integer.toString(streamThreads));
    return ProjectionService.start(ProjectionServiceConfig.fromEnv(settings), Clock.systemUTC());
  }

  boolean ready() {
    return commands.isReady() && projections.stream().allMatch(ProjectionService::isReady);
  }

  String commandUrl() {
    return "http://127.0.0.1:" + commands.port();
  }

  String projectionUrl(int i) {
    return "http://127.0.0.1:" + projections.get(i).port();
  }

  @Override
  public void close() {
    projections.forEach(ProjectionService::close);
    commands.close();
    registry.close();
    broker.close();
    Dirs.deleteRecursively(root);
  }
}
