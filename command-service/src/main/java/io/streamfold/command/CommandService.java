package io.streamfold.command;

import io.javalin.Javalin;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.avro.AccountAggregate;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.command.http.AccountResource;
import io.streamfold.command.http.CommandRoutes;
import io.streamfold.command.processing.CommandGateway;
import io.streamfold.command.processing.CommandTopology;
import io.streamfold.command.processing.CoreSerdes;
import io.streamfold.command.processing.WriteModel;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Health;
import io.streamfold.service.http.Problems;
import io.streamfold.service.kafka.StreamsRunner;
import io.streamfold.service.kafka.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command-service instance: topics checked, the command processor running, the gateway
 * listening for outcomes, then the HTTP API. Closing stops HTTP first (in-flight requests drain),
 * then the gateway, then Kafka Streams.
 */
public final class CommandService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final StreamsRunner streams;
  private final CommandGateway<?> gateway;
  private final Javalin http;

  private CommandService(StreamsRunner streams, CommandGateway<?> gateway, Javalin http) {
    this.streams = streams;
    this.gateway = gateway;
    this.http = http;
  }

  public static CommandService start(CommandServiceConfig config, Clock clock) {
    SchemaRegistry registry = HttpSchemaRegistry.cached(config.schemaRegistryUrl());
    AccountAggregate accounts = new AccountAggregate(registry, config.autoRegisterSchemas());
    Topics topics = Topics.of(config.topicPrefix(), accounts.collection());
    new TopicProvisioner(config.clientProperties()).ensure(CommandTopics.specs(topics, config));
    CoreSerdes serdes = CoreSerdes.of(registry, config.autoRegisterSchemas());
    StreamsRunner streams =
        new StreamsRunner(
            CommandTopology.build(accounts, topics, serdes, clock, config.idempotencyWindow()),
            StreamsSettings.of(config));
    CommandGateway<io.streamfold.command.domain.account.AccountCommand> gateway =
        new CommandGateway<>(
            config.clientProperties(), topics, accounts.codec(), serdes.outcomes());
    gateway.start();
    streams.start();
    WriteModel<io.streamfold.command.domain.account.Account> writeModel =
        new WriteModel<>(
            streams.streams(), accounts, HostInfo.buildFromEndpoint(config.advertisedServer()));
    var routes =
        new CommandRoutes<>(
            accounts,
            new AccountResource(),
            gateway,
            writeModel,
            new Forwarder(config.advertisedServer(), Duration.ofSeconds(5)),
            () -> streams.isRunning() && gateway.isListening(),
            config.commandTimeout(),
            clock,
            config.advertisedServer());
    Javalin http =
        Javalin.create(
                javalin -> {
                  javalin.http.maxRequestSize = MAX_BODY_BYTES;
                  javalin.jetty.host = config.httpHost();
                  javalin.jetty.port = config.httpPort();
                  javalin.startup.showJavalinBanner = false;
                  Problems.install(javalin);
                  Health.install(javalin, () -> readiness(streams, gateway));
                  routes.install(javalin);
                })
            .start();
    LOG.info(
        "Command service listening on http://{}:{} (advertised as {})",
        config.httpHost(),
        http.port(),
        config.advertisedServer());
    return new CommandService(streams, gateway, http);
  }

  private static Map<String, String> readiness(StreamsRunner streams, CommandGateway<?> gateway) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (!streams.isRunning()) {
      problems.put("kafkaStreams", streams.state().name());
    }
    if (!gateway.isListening()) {
      problems.put("resultsListener", "stopped");
    }
    return problems;
  }

  public int port() {
    return http.port();
  }

  public boolean isReady() {
    return readiness(streams, gateway).isEmpty();
  }

  @Override
  public void close() {
    http.stop();
    gateway.close();
    streams.close();
  }
}
