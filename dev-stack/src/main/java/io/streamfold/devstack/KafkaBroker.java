package io.streamfold.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller) running as a child
 * JVM from the {@code kafka_2.13} artifact, bound to 127.0.0.1.
 *
 * <p>The internal offsets and transaction-state topics have replication factor 1 and min ISR 1, so
 * transactions (and so {@code exactly_once_v2}) work on one node. Topic auto-creation is off: every
 * topic must be created explicitly. With {@link Builder#dataDir(Path)} the log survives restarts;
 * otherwise a temporary directory is used and deleted on {@link #close()}.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final String BROKER_USER = "broker";
  private static final String BROKER_PASSWORD = "broker-secret";

  private final Path dataDir;
  private final boolean temporary;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private final String heap;
  private final boolean longRunning;
  private final Map<String, String> saslUsers;
  private ChildJvm jvm;

  private KafkaBroker(Builder builder) {
    this.temporary = builder.dataDir == null;
    this.dataDir = temporary ? Dirs.temporary("kafka-") : builder.dataDir.toAbsolutePath();
    Properties remembered = rememberedPorts(dataDir);
    this.port = choose(builder.port, remembered, "port");
    this.controllerPort = choose(builder.controllerPort, remembered, "controller.port");
    this.overrides = Map.copyOf(builder.overrides);
    this.heap = builder.heap;
    this.longRunning = builder.longRunning;
    this.saslUsers = Map.copyOf(builder.saslUsers);
  }

  /**
   * A persistent broker keeps its ports: the controller's endpoint is part of the formatted KRaft
   * metadata, so a restart must listen where the first start did.
   */
  private static Properties rememberedPorts(Path dataDir) {
    Properties ports = new Properties();
    Path file = dataDir.resolve("ports.properties");
    if (Files.exists(file)) {
      try (var in = Files.newBufferedReader(file)) {
        ports.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ports;
  }

  private static int choose(int asked, Properties remembered, String name) {
    if (asked != 0) {
      return asked;
    }
    String known = remembered.getProperty(name);
    return known != null ? Integer.parseInt(known) : Ports.freeLoopbackPort();
  }

  private void rememberPorts() throws IOException {
    Properties ports = new Properties();
    ports.setProperty("port", Integer.toString(port));
    ports.setProperty("controller.port", Integer.toString(controllerPort));
    try (var out = Files.newBufferedWriter(dataDir.resolve("ports.properties"))) {
      ports.store(out, "Ports of this broker: reused on restart");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a broker with a temporary data directory on free ports. */
  public static KafkaBroker startTemporary() {
    return builder().build().start();
  }

  /**
   * Formats the storage if it has never been formatted, starts the broker and waits until ready.
   */
  public synchronized KafkaBroker start() {
    if (jvm != null && jvm.isAlive()) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      rememberPorts();
      Path config = writeConfig();
      Path log4j = writeLog4jConfig();
      Path logFile = dataDir.resolve("broker.log");
      if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
        format(config, log4j, logFile);
      }
      jvm =
          ChildJvm.start(
              "kafka-broker",
              jvmArgs("kafka-broker", log4j, "kafka.Kafka", config.toString()),
              logFile);
      awaitReady();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare the broker in " + dataDir, e);
    }
  }

  private void format(Path config, Path log4j, Path logFile) {
    List<String> args =
        jvmArgs(
            "kafka-storage-format",
            log4j,
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "--cluster-id",
            randomClusterId(),
            "--config",
            config.toString());
    ChildJvm formatter = ChildJvm.start("kafka-storage-format", args, logFile);
    int exit = formatter.awaitExit(Duration.ofSeconds(60));
    if (exit != 0) {
      throw new IllegalStateException(
          "Formatting the KRaft storage failed (exit " + exit + "):\n" + formatter.logTail(20));
    }
  }

  /** The command line of the broker's JVM named {@code name}, without the Java executable. */
  private List<String> jvmArgs(String name, Path log4j, String mainClass, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    command.add("-Djava.awt.headless=true");
    String classpath = BuildInfo.kafkaClasspath();
    command.addAll(SharedClasses.options(name, classpath));
    // On two cores or fewer, C2 takes 40% of the broker's CPU for the first minutes, competing with
    // everything else on the machine, and pays that back only in a broker that runs for longer: a
    // test's runs C1 alone, a long-running one (./run.sh's) the JVM's own compilers, C2 included
    // (README, Performance). Options in the system property streamfold.broker.jvmOptions come
    // after, so win.
    if (c1Only(longRunning, Runtime.getRuntime().availableProcessors())) {
      command.add("-XX:TieredStopAtLevel=1");
    }
    String extra = System.getProperty("streamfold.broker.jvmOptions", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-Dlog4j2.configurationFile=" + log4j);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The broker's request handler and network threads for a machine of {@code processors} cores it
   * shares with the services: one handler per core (at least two) and a network thread per two.
   * Kafka's defaults (8 and 3) are sized for a broker with a machine of its own; on two shared
   * cores they spread each transaction's requests over eleven threads, and 2 and 1 took a command
   * at 500/s from 5.1 to 3.7 ms at the median, the broker's CPU a command down 4%
   * (bench/profiles/2026-12-05-broker-threads/).
   */
  static Map<String, String> threads(int processors) {
    return Map.of(
        "num.io.threads", Integer.toString(Math.max(2, processors)),
        "num.network.threads", Integer.toString(Math.max(1, processors / 2)));
  }

  /** Whether a broker runs the C1 compiler alone: a short-lived one on two cores or fewer. */
  static boolean c1Only(boolean longRunning, int processors) {
    return !longRunning && processors <= 2;
  }

  private Path writeConfig() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    String client = saslUsers.isEmpty() ? "PLAINTEXT" : "SASL_PLAINTEXT";
    props.put(
        "listeners", client + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", client + "://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", client);
    props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT," + client + ":" + client);
    if (!saslUsers.isEmpty()) {
      props.put("sasl.enabled.mechanisms", "PLAIN");
      props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      StringBuilder jaas = new StringBuilder(plainLogin(BROKER_USER, BROKER_PASSWORD));
      jaas.setLength(jaas.length() - 1);
      jaas.append(" user_").append(BROKER_USER).append("=\"").append(BROKER_PASSWORD).append('"');
      saslUsers.forEach(
          (user, password) ->
              jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
      props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }
    props.put("log.dirs", dataDir.resolve("logs").toString());
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "10");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.putAll(threads(Runtime.getRuntime().availableProcessors()));
    // A transaction's first write right after the previous commit is refused with
    // CONCURRENT_TRANSACTIONS until the markers are written, and the broker retries that internally
    // after this back-off (20 ms by default): a partition writer commits back to back, so every
    // transaction would pay it (KAFKA-18654). 1 ms keeps a commit near its real cost.
    props.put("add.partitions.to.txn.retry.backoff.ms", "1");
    // and for up to this long (100 ms by default) before the producer sees the error and retries
    // itself: a cold broker under load can take that long to write the markers.
    props.put("add.partitions.to.txn.retry.backoff.max.ms", "500");
    // Not set: transaction.abort.timed.out.transaction.cleanup.interval.ms (10 s). At 1 s, a broker
    // restart under load left a hanging transaction behind every time (BrokerRestartIT: ready 60 s
    // after the restart, after the sweep, instead of 6-17 s): the coordinator aborted timed-out
    // transactions before their partitions were back, and the markers were lost.
    props.putAll(overrides);
    // name=value,name=value in the system property streamfold.broker.config win over everything
    // (for an experiment on the embedded broker, e.g. JAVA_OPTS=-Dstreamfold.broker.config=...
    // ./run.sh)
    for (String setting : System.getProperty("streamfold.broker.config", "").split(",")) {
      int eq = setting.indexOf('=');
      if (eq > 0) {
        props.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
      }
    }
    Properties properties = new Properties();
    properties.putAll(props);
    Path config = dataDir.resolve("server.properties");
    try (var out = Files.newBufferedWriter(config)) {
      properties.store(out, "Written by io.streamfold.devstack.KafkaBroker");
    }
    return config;
  }

  private Path writeLog4jConfig() throws IOException {
    Path config = dataDir.resolve("log4j2.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = STDOUT",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "logger.kafka.name = kafka",
            "logger.kafka.level = WARN",
            "logger.apache.name = org.apache.kafka",
            "logger.apache.level = WARN",
            "logger.server.name = kafka.server.KafkaRaftServer",
            "logger.server.level = INFO",
            ""));
    return config;
  }

  /**
   * What a client needs besides the bootstrap servers: nothing for a plaintext broker; for a SASL
   * broker, SASL/PLAIN as the broker's own user.
   */
  public Map<String, String> clientProperties() {
    return saslUsers.isEmpty() ? Map.of() : saslClient(BROKER_USER, BROKER_PASSWORD);
  }

  /** The client properties of SASL/PLAIN as {@code user}. */
  public static Map<String, String> saslClient(String user, String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", plainLogin(user, password));
  }

  private static String plainLogin(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    Map<String, Object> config = new java.util.HashMap<>(clientProperties());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    awaitListening(deadline); // before any client: each refused connection would log a WARN
    try (Admin admin = Admin.create(config)) {
      while (true) {
        if (!jvm.isAlive()) {
          throw new IllegalStateException(
              "The Kafka broker exited during start-up:\n" + jvm.logTail(40));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // not listening yet
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "The Kafka broker was not ready within " + START_TIMEOUT + ":\n" + jvm.logTail(40));
        }
        pause(Duration.ofMillis(200));
      }
    }
  }

  /** Waits until the client port accepts connections (the broker is then about to serve). */
  private void awaitListening(Instant deadline) {
    while (Instant.now().isBefore(deadline) && jvm.isAlive()) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
        return;
      } catch (IOException notYet) {
        pause(Duration.ofMillis(100));
      }
    }
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static String randomClusterId() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    bytes[0] &= 0x7f; // the encoded id must not start with '-'
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean isRunning() {
    return jvm != null && jvm.isAlive();
  }

  /** Controlled shutdown (SIGTERM); the data directory is kept, so {@link #start()} resumes it. */
  public synchronized void stop() {
    if (jvm != null) {
      jvm.close();
      jvm = null;
    }
  }

  /** Kills the broker as a crash would (SIGKILL). */
  public synchronized void kill() {
    if (jvm != null) {
      jvm.kill();
      jvm.close();
      jvm = null;
    }
  }

  @Override
  public void close() {
    stop();
    if (temporary) {
      Dirs.deleteRecursively(dataDir);
    }
  }

  /** Configures a broker before it starts. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private String heap = "512m";
    private boolean longRunning;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> saslUsers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Makes the client listener SASL_PLAINTEXT with the PLAIN mechanism, accepting this user (call
     * once per user); the broker talks to itself as its own user.
     */
    public Builder saslPlainUser(String user, String password) {
      saslUsers.put(user, password);
      return this;
    }

    /** Keeps the log in this directory across restarts (formatted on first start). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The client port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The controller port; 0 (the default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /**
     * This broker runs for hours, as {@code ./run.sh}'s does: it keeps the JVM's C2 compiler on two
     * cores too, where a broker for a test runs C1 alone (C2 competes with everything else for the
     * first minutes and pays that back only later).
     */
    public Builder longRunning() {
      this.longRunning = true;
      return this;
    }

    public Builder heap(String heap) {
      this.heap = heap;
      return this;
    }

    /** Sets (or overrides) a broker configuration property. */
    public Builder property(String name, String value) {
      overrides.put(name, value);
      return this;
    }

    public KafkaBroker build() {
      return new KafkaBroker(this);
    }
  }
}
