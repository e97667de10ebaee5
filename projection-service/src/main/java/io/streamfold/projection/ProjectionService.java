package io.streamfold.projection;

import io.javalin.Javalin;
import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.events.DeadLetterRoutes;
import io.streamfold.projection.events.Subscriptions;
import io.streamfold.projection.plugin.ProjectionDomain;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.projection.query.LocalStores;
import io.streamfold.projection.query.ProjectionLag;
import io.streamfold.projection.query.ProjectionMetrics;
import io.streamfold.projection.query.Retirement;
import io.streamfold.projection.query.ScatterGather;
import io.streamfold.projection.query.StandbyReads;
import io.streamfold.projection.query.StatusRoutes;
import io.streamfold.projection.query.StoreDigests;
import io.streamfold.projection.query.TotalsRoutes;
import io.streamfold.projection.query.ViewRoutes;
import io.streamfold.projection.topology.ProjectionCounters;
import io.streamfold.projection.topology.ProjectionTopology;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.schemas.crypto.KafkaDataKeys;
import io.streamfold.schemas.crypto.LocalKeyEncryptionKey;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.config.PersonalDataSettings;
import io.streamfold.service.http.Dependencies;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Health;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Operations;
import io.streamfold.service.http.ProblemException;
import io.streamfold.service.http.Problems;
import io.streamfold.service.kafka.HangingTransactions;
import io.streamfold.service.kafka.StreamsRunner;
import io.streamfold.service.security.Security;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One projection-service instance: waits for the event log, runs the projections, serves queries.
 * Closing stops HTTP first, then Kafka Streams.
 */
public final class ProjectionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionService.class);

  private final StreamsRunner streams;
  private final ProjectionLag lag;
  private final Javalin http;
  private final Dependencies dependencies;
  private final HangingTransactions hanging;
  private final ExecutorService readers;
  private final Subscriptions subscriptions;
  private final DeadLetterRoutes deadLetters;

  private final KafkaDataKeys keys;
  private final CatchUp catchUp;

  private ProjectionService(
      StreamsRunner streams,
      ProjectionLag lag,
      Javalin http,
      Dependencies dependencies,
      HangingTransactions hanging,
      ExecutorService readers,
      Subscriptions subscriptions,
      DeadLetterRoutes deadLetters,
      KafkaDataKeys keys,
      CatchUp catchUp) {
    this.keys = keys;
    this.catchUp = catchUp;
    this.streams = streams;
    this.lag = lag;
    this.http = http;
    this.dependencies = dependencies;
    this.hanging = hanging;
    this.readers = readers;
    this.subscriptions = subscriptions;
    this.deadLetters = deadLetters;
  }

  /**
   * The event types of a plugged-in collection, as its views name them (the union of theirs); null,
   * so that a subscription takes any name, when a view of it does not name them.
   */
  private static List<String> eventTypes(List<ViewProjection<?, ?>> views, String collection) {
    List<ViewProjection<?, ?>> of =
        views.stream().filter(view -> view.collection().equals(collection)).toList();
    if (of.stream().anyMatch(view -> view.eventTypes().isEmpty())) {
      return null;
    }
    return of.stream().flatMap(view -> view.eventTypes().stream()).distinct().toList();
  }

  /** Every store of a view: its views, its history when it keeps one, its indexes and totals. */
  private static java.util.stream.Stream<String> viewStores(ViewProjection<?, ?> view) {
    return java.util.stream.Stream.concat(
        view.history()
            ? java.util.stream.Stream.of(
                view.store(), io.streamfold.projection.topology.ViewProjections.historyStore(view))
            : java.util.stream.Stream.of(view.store()),
        java.util.stream.Stream.concat(
            indexStores(view),
            view.totals().stream()
                .map(
                    total ->
                        io.streamfold.projection.topology.ViewProjections.totalsStore(
                            view, total.name()))));
  }

  /** The stores of a view's indexes, each also the name of the repartition topic feeding it. */
  private static java.util.stream.Stream<String> indexStores(ViewProjection<?, ?> view) {
    return view.indexes().stream()
        .map(
            index ->
                io.streamfold.projection.topology.ViewProjections.indexStore(view, index.name()));
  }

  public static ProjectionService start(ProjectionServiceConfig config, Clock clock) {
    List<ViewProjection<?, ?>> views = ProjectionDomain.loadViews();
    if (views.isEmpty()) {
      throw new IllegalStateException(
          "No projection plug-in on the classpath (META-INF/services/"
              + ProjectionDomain.class.getName()
              + "): nothing to project");
    }
    // the first view's collection is the default one: its log is awaited, its lag shown per
    // partition, and a subscription that names no collection gets its events
    String main = views.get(0).collection();
    String mainTopic = config.eventsTopicOf(main);
    ProjectionTopics.Partitions topicPartitions =
        ProjectionTopics.awaitEventsAndCreateDeadLetters(
            config,
            mainTopic,
            views.stream().map(view -> config.eventsTopicOf(view.collection())).toList());
    int partitions = topicPartitions.events();
    Map<String, Integer> viewPartitions = topicPartitions.views();
    Map<String, String> pluggedIn = new LinkedHashMap<>(); // collection → its events topic
    views.forEach(
        view -> pluggedIn.putIfAbsent(view.collection(), config.eventsTopicOf(view.collection())));
    PersonalDataSettings keySettings = config.personalData();
    KafkaDataKeys keys =
        new KafkaDataKeys(
            config.clientProperties(),
            keySettings.topic(),
            LocalKeyEncryptionKey.fromBase64(keySettings.keyEncryptionKey()),
            keySettings.cacheSize(),
            config.replication(),
            keySettings.erasureWindow());
    PersonalData personal = new PersonalData(keys, keySettings.cacheSize());
    SchemaRegistry registry = HttpSchemaRegistry.cached(config.schemaRegistryUrl());
    ExecutorService readers =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "read-your-writes");
              thread.setDaemon(true);
              return thread;
            });
    Map<String, VersionWaiters> viewWaiters = new HashMap<>();
    views.forEach(view -> viewWaiters.put(view.store(), new VersionWaiters(readers)));
    ProjectionCounters counters = new ProjectionCounters();
    io.streamfold.projection.topology.StoreHandles handles =
        new io.streamfold.projection.topology.StoreHandles();
    org.apache.kafka.streams.Topology topology =
        ProjectionTopology.build(
            views, config::eventsTopicOf, registry, viewWaiters, counters, handles);
    ProjectionLag lag =
        new ProjectionLag(
            config.clientProperties(),
            config.applicationId(),
            mainTopic,
            views.stream().flatMap(ProjectionService::indexStores).toList(),
            views.stream().map(view -> config.eventsTopicOf(view.collection())).toList());
    java.util.Properties streamsProperties = ProjectionSettings.of(config, counters);
    ProjectionSettings.sizeProducerBatches(
        streamsProperties,
        topology.describe(),
        Math.max(
            partitions,
            viewPartitions.values().stream().mapToInt(Integer::intValue).max().orElse(0)));
    CatchUp catchUp = CatchUp.decide(config, CatchUp.behind(lag), streamsProperties);
    StreamsRunner streams = new StreamsRunner(topology, streamsProperties);
    HostInfo self = HostInfo.buildFromEndpoint(config.advertisedServer());
    LocalStores stores = new LocalStores(streams.streams(), self, handles);
    streams.onStateChange(state -> stores.forgetPlacements());
    streams.start();
    catchUp.watch(streams, lag);
    Forwarder forwarder =
        new Forwarder(
            config.advertisedServer(),
            config.minVersionMaxWait().plusSeconds(5),
            config.security().forwardScheme());
    var standby = new StandbyReads(stores, forwarder, config.maxStandbyLag());
    var genericEvents = new io.streamfold.projection.events.GenericEvents(registry);
    // a plug-in's events as shown: by its own decoder when it reads Avro (upcast, current contract)
    Map<String, java.util.function.Function<byte[], org.apache.avro.generic.IndexedRecord>>
        pluginEvents = new LinkedHashMap<>();
    views.forEach(
        view ->
            pluginEvents.computeIfAbsent(
                view.collection(),
                c ->
                    io.streamfold.projection.events.PluginEvents.of(
                        view, registry, genericEvents)));
    var lists = new ScatterGather(stores, forwarder);
    var shared =
        new ViewRoutes.Shared(
            stores,
            forwarder,
            standby,
            lists,
            config.minVersionWait(),
            config.minVersionMaxWait(),
            clock,
            config.historyRetention(),
            pluginEvents,
            personal,
            registry);
    List<ViewRoutes<?>> viewRoutes = new ArrayList<>();
    for (ViewProjection<?, ?> view : views) {
      String topic = config.eventsTopicOf(view.collection());
      viewRoutes.add(
          new ViewRoutes<>(
              view, viewWaiters.get(view.store()), topic, viewPartitions.get(topic), shared));
    }
    TotalsRoutes totalsRoutes =
        new TotalsRoutes(views, config::eventsTopicOf, viewPartitions, stores, lists);
    var digests =
        new StoreDigests(
            streams.streams(),
            topology.describe(),
            views.stream().flatMap(ProjectionService::viewStores).toList());
    List<Subscriptions.Collection> subscribable = new ArrayList<>();
    List<DeadLetterRoutes.Log> deadLetterLogs = new ArrayList<>();
    // a subscription that names no collection gets the first view's events
    pluggedIn.forEach(
        (collection, topic) -> {
          subscribable.add(
              new Subscriptions.Collection(
                  collection,
                  topic,
                  pluginEvents.get(collection),
                  eventTypes(views, collection),
                  collection.equals(main)));
          deadLetterLogs.add(
              new DeadLetterRoutes.Log(
                  collection,
                  topic,
                  io.streamfold.projection.topology.ProjectionTopology.replayTopic(topic),
                  pluginEvents.get(collection)));
        });
    Subscriptions subscriptions =
        new Subscriptions(
            config.clientProperties(),
            subscribable,
            config.maxSubscribers(),
            config.subscriberWriteTimeout(),
            personal);
    DeadLetterRoutes deadLetters =
        new DeadLetterRoutes(
            config.clientProperties(), config.deadLetterTopic(), deadLetterLogs, personal);
    var status =
        new StatusRoutes(
            lag,
            counters,
            () -> streams.state().name(),
            digests,
            () -> streams.streams().metadataForLocalThreads().size(),
            catchUp::status);
    Retirement retirement = new Retirement();
    Map<String, String> routesOfPlugins = new LinkedHashMap<>();
    viewRoutes.forEach(
        route -> {
          routesOfPlugins.put("GET " + route.path(), route.summary());
          routesOfPlugins.put("GET " + route.listPath(), route.listSummary());
          if (route.historySummary() != null) {
            routesOfPlugins.put("GET " + route.historyPath(), route.historySummary());
          }
          routesOfPlugins.put(
              "GET " + route.listPartPath(),
              "Instance-to-instance: this instance's part of the list, a page of each of its"
                  + " partitions");
        });
    Operations operations =
        new Operations("openapi/projection-service.json").documentMissing(routesOfPlugins);
    operations.bind(streams.streams());
    ProjectionMetrics.bind(operations.registry(), counters, lag, partitions);
    io.micrometer.core.instrument.Gauge.builder(
            "streamfold.subscribers", subscriptions, Subscriptions::active)
        .description("Event subscriptions (GET /api/v1/events) connected to this instance")
        .register(operations.registry());
    io.micrometer.core.instrument.Gauge.builder(
            "streamfold.subscription.tails", subscriptions, Subscriptions::liveTails)
        .description(
            "Live tails running: one consumer at the head of the log for each set of collections"
                + " subscribed to, shared by every subscriber of that set that has caught up")
        .register(operations.registry());
    Dependencies dependencies =
        new Dependencies(config.clientProperties(), config.schemaRegistryUrl());
    HangingTransactions hanging =
        HangingTransactions.of(config, topic -> topic.equals(config.deadLetterTopic()));
    Javalin http =
        Javalin.create(
                javalin -> {
                  javalin.jetty.host = config.httpHost();
                  javalin.jetty.port = config.httpPort();
                  javalin.jetty.threadPool =
                      new org.eclipse.jetty.util.thread.QueuedThreadPool(
                          config.httpThreads(), Math.min(8, config.httpThreads()), 60_000);
                  javalin.startup.showJavalinBanner = false;
                  Json.install(javalin);
                  Problems.install(javalin);
                  new Security(config.security()).install(javalin);
                  javalin.routes.exception(
                      LocalStores.StoreUnavailableException.class, (e, ctx) -> unavailable(ctx, e));
                  javalin.routes.exception(
                      InvalidStateStoreException.class, (e, ctx) -> unavailable(ctx, e));
                  Health.install(
                      javalin,
                      () -> liveness(streams.state()),
                      () -> readiness(streams, dependencies, retirement));
                  operations.install(javalin);
                  retirement.install(javalin);
                  viewRoutes.forEach(route -> route.install(javalin));
                  ViewRoutes.installStreams(javalin, viewRoutes);
                  totalsRoutes.install(javalin);
                  status.install(javalin);
                  subscriptions.install(javalin);
                  deadLetters.install(javalin);
                })
            .start();
    LOG.info(
        "Projection service listening on http://{}:{} (advertised as {})",
        config.httpHost(),
        http.port(),
        config.advertisedServer());
    return new ProjectionService(
        streams,
        lag,
        http,
        dependencies,
        hanging,
        readers,
        subscriptions,
        deadLetters,
        keys,
        catchUp);
  }

  /** Kafka Streams in ERROR (or on its way there) recovers only by a restart. */
  static Map<String, String> liveness(org.apache.kafka.streams.KafkaStreams.State state) {
    return state == org.apache.kafka.streams.KafkaStreams.State.ERROR
            || state == org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR
        ? Map.of("streams", "Kafka Streams is in " + state + "; restart")
        : Map.of();
  }

  private static void unavailable(io.javalin.http.Context ctx, Exception e) {
    ProblemException problem =
        ProblemException.unavailable(
            "store-unavailable", "The store is migrating or restoring: " + e.getMessage(), 1);
    problem.headers().forEach(ctx::header);
    Problems.write(ctx, problem.problem());
  }

  private static Map<String, String> readiness(
      StreamsRunner streams, Dependencies dependencies, Retirement retirement) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (retirement != null && retirement.successor() != null) {
      problems.put("retired", "readers moved to " + retirement.successor());
    }
    if (!streams.isRunning()) {
      problems.put("kafkaStreams", streams.state().name());
    }
    dependencies.check(problems);
    return problems;
  }

  /** Every route, as {@code METHOD /path}, for the check against the OpenAPI document. */
  public java.util.List<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  public int port() {
    return http.port();
  }

  /**
   * Kafka Streams running, Kafka and the registry reachable: what {@code /health/ready} answers,
   * unless the instance was retired ({@link Retirement}).
   */
  public boolean isReady() {
    return readiness(streams, dependencies, null).isEmpty();
  }

  @Override
  public void close() {
    subscriptions.close();
    http.stop();
    deadLetters.close();
    readers.shutdownNow();
    catchUp.close();
    streams.close();
    lag.close();
    hanging.close();
    keys.close();
    dependencies.close();
  }
}
