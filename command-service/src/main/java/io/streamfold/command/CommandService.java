package io.streamfold.command;

import io.javalin.Javalin;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.command.http.CommandMetrics;
import io.streamfold.command.http.CommandRoutes;
import io.streamfold.command.http.SubjectEvents;
import io.streamfold.command.http.SubjectRoutes;
import io.streamfold.command.writer.CommandWriter;
import io.streamfold.schemas.crypto.KafkaDataKeys;
import io.streamfold.schemas.crypto.LocalKeyEncryptionKey;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.config.Env;
import io.streamfold.service.config.PersonalDataSettings;
import io.streamfold.service.http.Dependencies;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Health;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Operations;
import io.streamfold.service.http.Problems;
import io.streamfold.service.kafka.HangingTransactions;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command-service instance: topics checked, the partition writers joining their ownership
 * group, then the HTTP API. Closing stops accepting commands, waits for those in flight, stops
 * HTTP, then hands every partition over (each writer commits its batch first) and leaves the group.
 */
public final class CommandService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final List<CommandWriter<?, ?>> writers;
  private final Dependencies dependencies;
  private final HangingTransactions hanging;
  private final KafkaDataKeys keys;
  private final SubjectEvents subjectEvents;
  private final Javalin http;
  private final Duration drainTimeout;
  private final AtomicBoolean draining;

  private CommandService(
      List<CommandWriter<?, ?>> writers,
      Dependencies dependencies,
      HangingTransactions hanging,
      KafkaDataKeys keys,
      SubjectEvents subjectEvents,
      Javalin http,
      Duration drainTimeout,
      AtomicBoolean draining) {
    this.writers = writers;
    this.dependencies = dependencies;
    this.hanging = hanging;
    this.keys = keys;
    this.subjectEvents = subjectEvents;
    this.http = http;
    this.drainTimeout = drainTimeout;
    this.draining = draining;
  }

  public static CommandService start(CommandServiceConfig config, Clock clock) {
    SchemaRegistry schemas = HttpSchemaRegistry.cached(config.schemaRegistryUrl());
    AtomicBoolean draining = new AtomicBoolean();
    KafkaDataKeys keys = dataKeys(config);
    PersonalData personal = new PersonalData(keys, config.personalData().cacheSize());
    List<CommandDomain.Plugged<?, ?, ?>> plugged = new ArrayList<>();
    for (CommandDomain domain : CommandDomain.load()) {
      domain.configure(new Env(config.environment().values()));
      plugged.addAll(
          domain.aggregates(
              new CommandDomain.Context(schemas, config.autoRegisterSchemas(), personal)));
    }
    SubjectEvents subjectEvents =
        new SubjectEvents(
            config.clientProperties(),
            CommandTopics.subjects(config.topicPrefix()),
            schemas,
            config.autoRegisterSchemas());
    Map<String, String> routesOfPlugins = new LinkedHashMap<>();
    for (CommandDomain.Plugged<?, ?, ?> p : plugged) {
      String base = "/api/v1/" + p.aggregate().collection() + "/{id}";
      routesOfPlugins.put("POST " + base + "/{action}", "A command to a " + p.aggregate().type());
      routesOfPlugins.put("GET " + base, "A " + p.aggregate().type() + "'s version and state");
    }
    Operations operations =
        new Operations("openapi/command-service.json").documentMissing(routesOfPlugins);
    Dependencies dependencies =
        new Dependencies(config.clientProperties(), config.schemaRegistryUrl());
    List<CommandWriter<?, ?>> writers = new ArrayList<>();
    BooleanSupplier ready =
        () ->
            !draining.get()
                && writers.stream().allMatch(CommandWriter::hasJoined)
                && dependencies.kafkaReachable();
    Forwarder forwarder =
        new Forwarder(
            config.advertisedServer(), Duration.ofSeconds(5), config.security().forwardScheme());
    CommandMetrics metrics = new CommandMetrics(operations.registry());
    List<CommandRoutes<?, ?, ?>> routes = new ArrayList<>();
    Map<String, CommandRoutes<?, ?, ?>> peers = new java.util.concurrent.ConcurrentHashMap<>();
    for (CommandDomain.Plugged<?, ?, ?> aggregate : plugged) {
      // the first keeps the application id as its ownership group, as when it was the only one
      String group =
          writers.isEmpty()
              ? config.applicationId()
              : config.applicationId() + "-" + aggregate.aggregate().collection();
      routes.add(
          wire(
              aggregate,
              group,
              config,
              schemas,
              clock,
              operations,
              writers,
              new Wiring(forwarder, ready, metrics, peers)));
    }
    routes.forEach(route -> peers.put(route.collection(), route));
    List<String> collections =
        plugged.stream().map(p -> config.topicPrefix() + p.aggregate().collection() + ".").toList();
    HangingTransactions hanging =
        new HangingTransactions(
            config.clientProperties(),
            config.applicationId() + "-",
            topic -> collections.stream().anyMatch(topic::startsWith));
    Javalin http =
        Javalin.create(
                javalin -> {
                  javalin.http.maxRequestSize = MAX_BODY_BYTES;
                  javalin.jetty.host = config.httpHost();
                  javalin.jetty.port = config.httpPort();
                  javalin.startup.showJavalinBanner = false;
                  // Stopping: requests that arrive while Jetty stops get 503 and those in progress
                  // finish (up to 2 s), rather than reaching a handler chain half stopped.
                  javalin.jetty.modifyServer(
                      server -> {
                        server.insertHandler(
                            new org.eclipse.jetty.server.handler.GracefulHandler());
                        server.setStopTimeout(2_000);
                      });
                  Json.install(javalin);
                  Problems.install(javalin);
                  new Security(config.security()).install(javalin);
                  Health.install(
                      javalin,
                      () ->
                          writers.stream().allMatch(CommandWriter::isAlive)
                              ? Map.of()
                              : Map.of(
                                  "writers",
                                  "the ownership loop or the visibility consumer stopped; restart"),
                      () -> readiness(writers, dependencies, draining));
                  operations.install(javalin);
                  routes.forEach(route -> route.install(javalin));
                  new SubjectRoutes(
                          personal, subjectEvents, config.personalData().erasureWindow(), clock)
                      .install(javalin);
                })
            .start();
    LOG.info(
        "Command service listening on http://{}:{} (advertised as {})",
        config.httpHost(),
        http.port(),
        config.advertisedServer());
    return new CommandService(
        writers,
        dependencies,
        hanging,
        keys,
        subjectEvents,
        http,
        config.commandTimeout(),
        draining);
  }

  /**
   * One aggregate type: its topics checked, its writers joining their ownership group (added to
   * {@code writers}), and its routes.
   */
  private static <C, E, S> CommandRoutes<C, E, S> wire(
      CommandDomain.Plugged<C, E, S> plugged,
      String group,
      CommandServiceConfig config,
      SchemaRegistry schemas,
      Clock clock,
      Operations operations,
      List<CommandWriter<?, ?>> writers,
      Wiring shared) {
    Aggregate<C, E, S> aggregate = plugged.aggregate();
    Topics topics = Topics.of(config.topicPrefix(), aggregate.collection());
    new TopicProvisioner(config.clientProperties()).ensure(CommandTopics.specs(topics, config));
    CommandWriter<C, S> writer =
        CommandWriter.start(
            aggregate,
            new CommandWriter.Settings(
                group,
                config.advertisedServer(),
                topics,
                config.partitions(),
                config.clientProperties(),
                config.stateDir(),
                config.idempotencyWindow(),
                config.maxBatch(),
                config.lanes(),
                config.queueCapacity(),
                config.storeCacheMb() * 1024L * 1024L),
            schemas,
            config.autoRegisterSchemas(),
            clock,
            operations.registry());
    writers.add(writer);
    return new CommandRoutes<>(
        aggregate,
        plugged.resource(),
        writer,
        shared.forwarder(),
        shared.ready(),
        config.commandTimeout(),
        clock,
        config.advertisedServer(),
        shared.metrics(),
        shared.peers());
  }

  /** What every aggregate type's routes share. */
  private record Wiring(
      Forwarder forwarder,
      BooleanSupplier ready,
      CommandMetrics metrics,
      Map<String, CommandRoutes<?, ?, ?>> peers) {}

  /** The data subjects' keys, wrapped by the configured key-encryption key. */
  static KafkaDataKeys dataKeys(CommandServiceConfig config) {
    PersonalDataSettings settings = config.personalData();
    return new KafkaDataKeys(
        config.clientProperties(),
        settings.topic(),
        LocalKeyEncryptionKey.fromBase64(settings.keyEncryptionKey()),
        settings.cacheSize(),
        config.replication(),
        settings.erasureWindow());
  }

  private static Map<String, String> readiness(
      List<CommandWriter<?, ?>> writers, Dependencies dependencies, AtomicBoolean draining) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (draining.get()) {
      problems.put("shutdown", "draining");
    }
    if (!writers.stream().allMatch(CommandWriter::isServing)) {
      problems.put("writers", "joining the group or restoring partitions");
    }
    dependencies.check(problems);
    return problems;
  }

  public int port() {
    return http.port();
  }

  public boolean isReady() {
    return readiness(writers, dependencies, draining).isEmpty();
  }

  /** Every route, as {@code METHOD /path}, for the check against the OpenAPI document. */
  public List<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  @Override
  public void close() {
    draining.set(true); // new commands get 503 and readiness turns false
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    writers.forEach(
        writer -> writer.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    awaitResponsesWritten(Duration.ofSeconds(2));
    http.stop();
    writers.forEach(CommandWriter::close);
    hanging.close();
    subjectEvents.close();
    keys.close();
    dependencies.close();
  }

  /**
   * An outcome completes its request on the writers' completion pool, which then writes the
   * response: wait until Jetty has no request left in progress, so stopping it cuts no answer off
   * mid-write. Requests refused with 503 while draining come and go within a millisecond.
   */
  private void awaitResponsesWritten(Duration timeout) {
    StatisticsHandler requests = http.jettyServer().server().getDescendant(StatisticsHandler.class);
    if (requests == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.getRequestsActive() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  /** Commands submitted to this instance's writers and not yet answered. */
  public int inFlight() {
    return writers.stream().mapToInt(CommandWriter::inFlight).sum();
  }
}
