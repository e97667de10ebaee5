package io.streamfold.command;

import io.javalin.Javalin;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.avro.AccountAggregate;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.command.domain.account.Account;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.http.AccountResource;
import io.streamfold.command.http.CommandMetrics;
import io.streamfold.command.http.CommandRoutes;
import io.streamfold.command.processing.CommandGateway;
import io.streamfold.command.processing.CommandTopology;
import io.streamfold.command.processing.CoreSerdes;
import io.streamfold.command.processing.WriteModel;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.http.Dependencies;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Health;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Operations;
import io.streamfold.service.http.Problems;
import io.streamfold.service.kafka.HangingTransactions;
import io.streamfold.service.kafka.StreamsRunner;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command-service instance: topics checked, the command processor running, the gateway
 * listening for outcomes, then the HTTP API. Closing stops HTTP first, then the gateway, then Kafka
 * Streams (which leaves the group so another instance takes over at once).
 */
public final class CommandService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final StreamsRunner streams;
  private final CommandGateway<?> gateway;
  private final Dependencies dependencies;
  private final HangingTransactions hanging;
  private final Javalin http;
  private final Duration drainTimeout;
  private final java.util.concurrent.atomic.AtomicBoolean draining;

  private CommandService(
      StreamsRunner streams,
      CommandGateway<?> gateway,
      Dependencies dependencies,
      HangingTransactions hanging,
      Javalin http,
      Duration drainTimeout,
      java.util.concurrent.atomic.AtomicBoolean draining) {
    this.streams = streams;
    this.gateway = gateway;
    this.dependencies = dependencies;
    this.hanging = hanging;
    this.http = http;
    this.drainTimeout = drainTimeout;
    this.draining = draining;
  }

  public static CommandService start(CommandServiceConfig config, Clock clock) {
    SchemaRegistry schemas = HttpSchemaRegistry.cached(config.schemaRegistryUrl());
    java.util.concurrent.atomic.AtomicBoolean draining =
        new java.util.concurrent.atomic.AtomicBoolean();
    AccountAggregate accounts = new AccountAggregate(schemas, config.autoRegisterSchemas());
    Topics topics = Topics.of(config.topicPrefix(), accounts.collection());
    new TopicProvisioner(config.clientProperties()).ensure(CommandTopics.specs(topics, config));
    CoreSerdes serdes = CoreSerdes.of(schemas, config.autoRegisterSchemas());
    StreamsRunner streams =
        new StreamsRunner(
            CommandTopology.build(accounts, topics, serdes, clock, config.idempotencyWindow()),
            StreamsSettings.of(config));
    CommandGateway<AccountCommand> gateway =
        new CommandGateway<>(
            config.clientProperties(), topics, accounts.codec(), serdes.outcomes());
    gateway.start();
    streams.start();
    Operations operations = new Operations("openapi/command-service.json");
    operations.bind(streams.streams());
    Dependencies dependencies =
        new Dependencies(config.clientProperties(), config.schemaRegistryUrl());
    HangingTransactions hanging =
        HangingTransactions.of(
            config, topic -> topic.startsWith(config.topicPrefix() + accounts.collection() + "."));
    WriteModel<Account> writeModel =
        new WriteModel<>(
            streams.streams(), accounts, HostInfo.buildFromEndpoint(config.advertisedServer()));
    CommandRoutes<AccountCommand, ?, Account> routes =
        new CommandRoutes<>(
            accounts,
            new AccountResource(),
            gateway,
            writeModel,
            new Forwarder(config.advertisedServer(), Duration.ofSeconds(5)),
            () ->
                !draining.get()
                    && streams.isRunning()
                    && gateway.isListening()
                    && dependencies.kafkaReachable(),
            config.commandTimeout(),
            clock,
            config.advertisedServer(),
            new CommandMetrics(operations.registry()));
    Javalin http =
        Javalin.create(
                javalin -> {
                  javalin.http.maxRequestSize = MAX_BODY_BYTES;
                  javalin.jetty.host = config.httpHost();
                  javalin.jetty.port = config.httpPort();
                  javalin.startup.showJavalinBanner = false;
                  Json.install(javalin);
                  Problems.install(javalin);
                  new Security(config.security()).install(javalin);
                  Health.install(
                      javalin, () -> readiness(streams, gateway, dependencies, draining));
                  operations.install(javalin);
                  routes.install(javalin);
                })
            .start();
    LOG.info(
        "Command service listening on http://{}:{} (advertised as {})",
        config.httpHost(),
        http.port(),
        config.advertisedServer());
    return new CommandService(
        streams, gateway, dependencies, hanging, http, config.commandTimeout(), draining);
  }

  private static Map<String, String> readiness(
      StreamsRunner streams,
      CommandGateway<?> gateway,
      Dependencies dependencies,
      java.util.concurrent.atomic.AtomicBoolean draining) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (draining.get()) {
      problems.put("shutdown", "draining");
    }
    if (!streams.isRunning()) {
      problems.put("kafkaStreams", streams.state().name());
    }
    if (!gateway.isListening()) {
      problems.put("resultsListener", "stopped");
    }
    dependencies.check(problems);
    return problems;
  }

  public int port() {
    return http.port();
  }

  public boolean isReady() {
    return readiness(streams, gateway, dependencies, draining).isEmpty();
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
    gateway.awaitInFlight(drainTimeout);
    awaitResponsesWritten(Duration.ofSeconds(2));
    http.stop();
    gateway.close();
    streams.close();
    hanging.close();
    dependencies.close();
  }

  /**
   * An outcome completes its request on the gateway's pool, which then writes the response: wait
   * until Jetty has no request left in progress, so stopping it cuts no answer off mid-write.
   * Requests refused with 503 while draining come and go within a millisecond.
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

  /** Commands published by this instance and still awaiting their outcome. */
  public int inFlight() {
    return gateway.inFlight();
  }
}
