package io.streamfold.bench;

import io.streamfold.bank.account.Account;
import io.streamfold.bank.avro.AccountAggregate;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.writer.CoreSerdes;
import io.streamfold.command.writer.Mark;
import io.streamfold.devstack.ApicurioRegistry;
import io.streamfold.devstack.ChildJvm;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.KafkaBroker;
import io.streamfold.devstack.Ports;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Restore and fail-over of the command path with a large version table, every service a process of
 * its own: preloads {@code N} aggregates' version rows, starts a command-service instance (restore
 * from empty), restarts it (restore from its checkpoint), starts a second one, SIGKILLs the first
 * and times until the second accepts a command on one of the killed instance's partitions. The
 * command service runs with a 1 GiB heap.
 *
 * <p>Usage: {@code Failover <aggregates> <out dir> [--under-load]}: with {@code --under-load}, four
 * clients keep sending commands to the owner's partitions until it is killed, so it dies with a
 * transaction open, which its successor must see aborted before it restores.
 */
public final class Failover {
  private static final int PARTITIONS = 6;
  private static final Pattern RESTORED =
      Pattern.compile("Partition (\\d+) of accounts: .*restored to .* in (\\d+) ms");

  private Failover() {}

  public static void main(String[] args) throws Exception {
    long aggregates = Long.parseLong(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Path root = Dirs.temporary("failover-");
    Map<String, Object> report = new java.util.LinkedHashMap<>();
    report.put("aggregates", aggregates);
    try (KafkaBroker broker =
            KafkaBroker.builder().dataDir(root.resolve("kafka")).heap("1g").build().start();
        ApicurioRegistry registry =
            ApicurioRegistry.start(0, "BACKWARD", root.resolve("registry"))) {
      Topics topics = Topics.of("", "accounts");
      long started = System.nanoTime();
      preload(broker.bootstrapServers(), registry.url(), topics, aggregates);
      report.put("preload s", seconds(started));
      Map<String, String> env = new HashMap<>();
      env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      env.put("SCHEMA_REGISTRY_URL", registry.url());
      env.put("KEY_ENCRYPTION_KEY", Bench.KEY_ENCRYPTION_KEY);
      env.put("TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
      env.put("HTTP_HOST", "127.0.0.1");
      Instance a = new Instance("a", env, root, out);
      started = System.nanoTime();
      a.start();
      a.awaitReady();
      report.put("instance A ready from empty, s", seconds(started));
      report.put("restore from empty, slowest partition ms", a.slowestRestore());
      a.jvm.stop(Duration.ofSeconds(30));
      started = System.nanoTime();
      a.start();
      a.awaitReady();
      report.put("instance A ready from its checkpoint, s", seconds(started));
      report.put("restore from checkpoint, slowest partition ms", a.slowestRestore());
      Instance b = new Instance("b", env, root, out);
      b.start();
      b.awaitReady();
      a.awaitReady();
      String account = accountOwnedBy(a, b);
      boolean underLoad = List.of(args).contains("--under-load");
      report.put("under load", underLoad);
      java.util.concurrent.CountDownLatch loadAccepted =
          new java.util.concurrent.CountDownLatch(underLoad ? 2_000 : 0);
      for (int i = 0; underLoad && i < 4; i++) {
        Thread client =
            new Thread(
                () -> {
                  try (RawHttp http = new RawHttp("127.0.0.1", a.port)) {
                    while (true) {
                      if (http.post(
                                  "/api/v1/accounts/" + account + "/deposit",
                                  "{\"amount\":\"1.00\"}")
                              .status()
                          == 200) {
                        loadAccepted.countDown();
                      }
                    }
                  } catch (Exception killed) {
                    // the owner is gone
                  }
                });
        client.setDaemon(true);
        client.start();
      }
      if (!loadAccepted.await(5, java.util.concurrent.TimeUnit.MINUTES)) {
        throw new IllegalStateException("The owner accepted too few commands under load");
      }
      a.jvm.kill();
      started = System.nanoTime();
      int attempts = 0;
      try (RawHttp http = new RawHttp("127.0.0.1", b.port)) {
        while (true) {
          attempts++;
          RawHttp.Response r =
              http.post(
                  "/api/v1/accounts/" + account + "/deposit",
                  "{\"amount\":\"1.00\"}",
                  "Idempotency-Key",
                  "failover-probe");
          if (r.status() == 200) {
            break;
          }
          Thread.sleep(20);
        }
      }
      report.put(
          "SIGKILL of the owner to the first accepted command on its partition, s",
          seconds(started));
      report.put("probe attempts", attempts);
      report.put("restore on the survivor, slowest partition ms", b.slowestRestore());
      b.jvm.stop(Duration.ofSeconds(30));
    } finally {
      Dirs.deleteRecursively(root);
    }
    String json = CommandLoadReport.json(report);
    Files.writeString(out.resolve("failover-" + aggregates + ".json"), json);
    System.out.println(json);
  }

  private static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }

  /** Version rows for {@code aggregates} opened accounts, as the writers would have left them. */
  private static void preload(String bootstrap, String registryUrl, Topics topics, long aggregates)
      throws Exception {
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrap);
    new TopicProvisioner(client)
        .ensure(
            List.of(
                new TopicSpec(topics.events(), PARTITIONS, (short) 1, Map.of("retention.ms", "-1")),
                new TopicSpec(
                    topics.versions(), PARTITIONS, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    topics.idempotency(),
                    PARTITIONS,
                    (short) 1,
                    Map.of("cleanup.policy", "compact,delete"))));
    SchemaRegistry registry = HttpSchemaRegistry.cached(registryUrl);
    AccountAggregate accounts = new AccountAggregate(registry, true);
    Instant now = Instant.now();
    byte[] snapshot =
        accounts
            .codec()
            .encodeState(
                new Account(Account.Status.OPEN, "Bench", "EUR", new BigDecimal("100.00"), now));
    CoreSerdes serdes = CoreSerdes.of(registry, true);
    client.put("linger.ms", 20);
    client.put("batch.size", 262_144);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
      java.util.concurrent.Future<?> last = null;
      long[] rows = new long[PARTITIONS];
      String[] lastIds = new String[PARTITIONS];
      byte[][] lastRows = new byte[PARTITIONS][];
      for (long i = 0; i < aggregates; i++) {
        String id = "pre-" + i;
        int partition =
            org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(
                        id.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % PARTITIONS;
        byte[] row =
            serdes
                .versions()
                .encode(
                    topics.versions(),
                    VersionRecord.newBuilder()
                        .setVersion(1)
                        .setSnapshot(ByteBuffer.wrap(snapshot))
                        .setLastEventId(id)
                        .setUpdatedAt(now)
                        .build());
        last = producer.send(new ProducerRecord<>(topics.versions(), partition, id, row));
        rows[partition]++;
        lastIds[partition] = id;
        lastRows[partition] = row;
      }
      // What a writer leaves on its last row: the mark up to which the version table agrees with
      // the (here empty) event log, so that a restore checks nothing before it.
      for (int p = 0; p < PARTITIONS; p++) {
        if (lastIds[p] != null) {
          ProducerRecord<String, byte[]> marked =
              new ProducerRecord<>(topics.versions(), p, lastIds[p], lastRows[p]);
          marked.headers().add(Mark.HEADER, new Mark(0, rows[p] + 1, 0).bytes());
          last = producer.send(marked);
        }
      }
      producer.flush();
      if (last != null) {
        last.get(); // surfaces a failed send
      }
    }
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(client)) {
      long written =
          io.streamfold.service.kafka.Offsets.end(admin, List.of(topics.versions()))
              .values()
              .stream()
              .mapToLong(Long::longValue)
              .sum();
      if (written < aggregates) {
        throw new IllegalStateException("Preloaded " + written + " of " + aggregates + " rows");
      }
    }
  }

  /** An account the first instance owns, asked of the second (which forwards to the owner). */
  private static String accountOwnedBy(Instance owner, Instance other) throws Exception {
    try (RawHttp http = new RawHttp("127.0.0.1", other.port)) {
      for (int i = 0; i < 1_000; i++) {
        String id = "pre-" + i;
        RawHttp.Response r = http.get("/api/v1/accounts/" + id);
        if (r.status() == 200 && ("127.0.0.1:" + owner.port).equals(r.servedBy())) {
          return id;
        }
      }
    }
    throw new IllegalStateException("No preloaded account is served by " + owner.name);
  }

  /** One command-service process with a fixed port and state directory. */
  private static final class Instance {
    final String name;
    final Map<String, String> env;
    final Path log;
    final int port = Ports.freeLoopbackPort();
    ChildJvm jvm;

    Instance(String name, Map<String, String> base, Path root, Path out) {
      this.name = name;
      this.env = new HashMap<>(base);
      env.put("HTTP_PORT", Integer.toString(port));
      env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
      env.put("STATE_DIR", root.resolve("state-" + name).toString());
      this.log = out.resolve("failover-" + name + ".log").toAbsolutePath();
    }

    void start() throws Exception {
      Files.deleteIfExists(log);
      jvm =
          ChildJvm.start(
              "command-" + name,
              List.of(
                  "-Xmx1g",
                  "-XX:+UseG1GC",
                  "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.streamfold.command.Main"),
              env,
              log);
    }

    void awaitReady() throws Exception {
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
        while (System.nanoTime() < deadline) {
          try {
            if (http.get("/health/ready").status() == 200) {
              return;
            }
          } catch (java.io.IOException notYet) {
            http.close();
          }
          Thread.sleep(100);
        }
      }
      throw new IllegalStateException(name + " not ready:\n" + jvm.logTail(40));
    }

    long slowestRestore() throws Exception {
      long slowest = 0;
      for (String line : Files.readAllLines(log)) {
        Matcher m = RESTORED.matcher(line);
        if (m.find()) {
          slowest = Math.max(slowest, Long.parseLong(m.group(2)));
        }
      }
      return slowest;
    }
  }
}
