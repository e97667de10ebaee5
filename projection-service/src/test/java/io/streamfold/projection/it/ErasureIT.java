package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crypto-shredding end to end, on the real broker and registry: a subject with a name found nowhere
 * else opens two accounts and runs commands (one with an {@code Idempotency-Key}); every API shows
 * the name; the subject is forgotten; then every API shows it as erased, balances and histories
 * unchanged, another subject's name still readable; and once the short erasure window of the test
 * has passed, neither the name nor the subject's wrapped key is in any file of the broker's log
 * directory (every topic, changelog and repartition segment) or of the two services' state
 * directories.
 */
class ErasureIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String SUBJECT = "person-" + UUID.randomUUID().toString().substring(0, 8);
  static final String NAME = "Zelda " + UUID.randomUUID();
  static final String OTHER = "other-" + UUID.randomUUID().toString().substring(0, 8);
  static final String OTHER_NAME = "Link " + UUID.randomUUID();

  static Map<String, String> env;
  static Path commandState;
  static Path projectionState;
  static CommandService commands;
  static ProjectionService projections;
  static String commandApi;
  static String projectionApi;

  @BeforeAll
  static void start() {
    env = Instances.environment("erasure");
    env.put("TOPIC_PARTITIONS", "2");
    commandState = Dirs.temporary("erasure-commands-");
    projectionState = Dirs.temporary("erasure-projections-");
    commands = Instances.start(env, commandState);
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    projections = ProjectionInstances.start(projectionEnv, projectionState);
    await().atMost(Duration.ofSeconds(90)).until(() -> commands.isReady() && projections.isReady());
    commandApi = "http://127.0.0.1:" + commands.port();
    projectionApi = "http://127.0.0.1:" + projections.port();
  }

  @AfterAll
  static void stop() {
    ProjectionInstances.stopAll(projections, commands);
  }

  @Test
  void forgettingASubjectLeavesItsNameUnreadableEverywhereAndItsKeyNowhere() throws Exception {
    String accounts = commandApi + "/api/v1/accounts/";
    assertThat(open("erase-a", SUBJECT, NAME, "10.00", "key-a").status()).isEqualTo(201);
    assertThat(open("erase-b", SUBJECT, NAME, "5.00", null).status()).isEqualTo(201);
    assertThat(open("erase-c", OTHER, OTHER_NAME, "1.00", null).status()).isEqualTo(201);
    // a retry of the open with its key is recognised: its fingerprint holds a keyed digest of the
    // name, not the name
    assertThat(open("erase-a", SUBJECT, NAME, "10.00", "key-a").status()).isEqualTo(201);
    assertThat(
            Http.post(
                    accounts + "erase-a/deposit",
                    "{\"amount\":\"2.50\"}",
                    "Idempotency-Key",
                    "deposit-1")
                .status())
        .isEqualTo(200);
    assertThat(Http.post(accounts + "erase-b/withdraw", "{\"amount\":\"1.00\"}").status())
        .isEqualTo(200);

    List<String> answers = new ArrayList<>();
    List<Path> scanned = new ArrayList<>();
    assertThat(Http.get(accounts + "erase-a").json().get("state").get("owner").asText())
        .isEqualTo(NAME);
    assertThat(read("/api/v1/accounts/erase-a?minVersion=2").get("owner").asText()).isEqualTo(NAME);
    assertThat(read("/api/v1/accounts/erase-b?minVersion=2").get("ownerId").asText())
        .isEqualTo(SUBJECT);
    JsonNode stream = read("/api/v1/streams/accounts/erase-a/events");
    assertThat(stream.get("events").get(0).get("data").get("owner").asText()).isEqualTo(NAME);
    await() // the owner index, behind its repartition topic, lags by up to a commit interval
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(read("/api/v1/accounts?ownerId=" + SUBJECT).get("accounts"))
                    .extracting(JsonNode::asText)
                    .containsExactly("erase-a", "erase-b"));

    // the name never reached Kafka or a store in plain text; the wrapped key did, for now
    byte[] name = NAME.getBytes(StandardCharsets.UTF_8);
    List<byte[]> keys = wrappedKeys(SUBJECT);
    assertThat(keys).isNotEmpty();
    Path logs = SharedStack.broker().dataDir().resolve("logs");
    assertThat(filesContaining(logs, keys.get(0)))
        .as("the scan finds the key while it lives")
        .isNotEmpty();
    assertThat(filesContaining(logs, name)).isEmpty();

    Http.Response forgotten =
        Http.request("DELETE", commandApi + "/api/v1/subjects/" + SUBJECT, new byte[0]);
    assertThat(forgotten.status()).as(forgotten.raw().body()).isEqualTo(200);
    assertThat(forgotten.json().get("erased").asBoolean()).isTrue();
    // the erasure is recorded, without the name, on the subjects' log
    List<ConsumerRecord<byte[], byte[]>> erasures =
        records(env.get("TOPIC_PREFIX") + "subjects.events", SUBJECT);
    assertThat(erasures).hasSize(1);
    assertThat(new String(erasures.get(0).value(), StandardCharsets.UTF_8))
        .contains(forgotten.json().get("eventId").asText())
        .doesNotContain(NAME);

    // every answer shows the name erased; balances and histories stay
    Http.Response writeModel = Http.get(accounts + "erase-a");
    answers.add(writeModel.raw().body());
    assertThat(writeModel.json().get("state").get("owner").isNull()).isTrue();
    assertThat(writeModel.json().get("state").get("ownerErased").asBoolean()).isTrue();
    assertThat(writeModel.json().get("state").get("balance").asText()).isEqualTo("12.50");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(read("/api/v1/accounts/erase-a").path("ownerErased").asBoolean())
                    .isTrue());
    for (String path :
        List.of(
            "/api/v1/accounts/erase-a",
            "/api/v1/accounts/erase-b",
            "/api/v1/accounts",
            "/api/v1/accounts/erase-a/history",
            "/api/v1/accounts/erase-a?asOf=" + Instant.now(),
            "/api/v1/streams/accounts/erase-a/events",
            "/api/v1/accounts?ownerId=" + SUBJECT)) {
      answers.add(Http.get(projectionApi + path).raw().body());
    }
    JsonNode a = read("/api/v1/accounts/erase-a");
    assertThat(a.get("owner").isNull()).isTrue();
    assertThat(a.get("balance").asText()).isEqualTo("12.50");
    JsonNode events = read("/api/v1/streams/accounts/erase-a/events").get("events");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("data").get("owner").isNull()).isTrue();
    assertThat(events.get(0).get("data").get("ownerErased").asBoolean()).isTrue();
    assertThat(events.get(1).get("data").get("amount").asText()).isEqualTo("2.50");
    assertThat(read("/api/v1/accounts/erase-b").get("balance").asText()).isEqualTo("4.00");
    assertThat(read("/api/v1/accounts/erase-c").get("owner").asText()).isEqualTo(OTHER_NAME);
    assertThat(Http.get(accounts + "erase-c").json().get("state").get("owner").asText())
        .isEqualTo(OTHER_NAME);
    assertThat(answers).noneMatch(answer -> answer.contains(NAME));
    // nothing new is stored for a forgotten subject
    assertThat(open("erase-d", SUBJECT, NAME, "1.00", null).status()).isEqualTo(422);

    // a projection rebuilt from the log after the erasure: erased too, nothing dead-lettered
    Map<String, String> rebuildEnv = new HashMap<>(env);
    Path rebuildState = Dirs.temporary("erasure-rebuild-");
    rebuildEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-rebuild");
    try (ProjectionService rebuilt = ProjectionInstances.start(rebuildEnv, rebuildState)) {
      String rebuiltApi = "http://127.0.0.1:" + rebuilt.port();
      JsonNode again =
          ProjectionInstances.readWhenOk(
              rebuiltApi + "/api/v1/accounts/erase-a?minVersion=2", WAIT);
      assertThat(again.get("owner").isNull()).isTrue();
      assertThat(again.get("ownerErased").asBoolean()).isTrue();
      assertThat(again.get("balance").asText()).isEqualTo("12.50");
      assertThat(
              ProjectionInstances.readWhenOk(rebuiltApi + "/api/v1/dead-letters", WAIT)
                  .get("deadLetters"))
          .isEmpty();
    }
    scanned.add(rebuildState);

    // within the window, the wrapped keys leave the broker's disks; the name was never there
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              for (byte[] key : keys) {
                assertThat(filesContaining(logs, key)).isEmpty();
              }
            });
    scanned.add(logs);
    scanned.add(commandState);
    scanned.add(projectionState);
    for (Path dir : scanned) {
      assertThat(filesContaining(dir, name)).as("files holding the name under " + dir).isEmpty();
      for (byte[] key : keys) {
        assertThat(filesContaining(dir, key)).as("files holding the key under " + dir).isEmpty();
      }
    }
    assertThat(filesContaining(logs, wrappedKeys(OTHER).get(0)))
        .as("the other subject's key stays")
        .isNotEmpty();
  }

  private static Http.Response open(
      String id, String subject, String name, String deposit, String key) {
    String body =
        "{\"owner\":\""
            + name
            + "\",\"ownerId\":\""
            + subject
            + "\",\"currency\":\"EUR\",\"initialDeposit\":\""
            + deposit
            + "\"}";
    String url = commandApi + "/api/v1/accounts/" + id + "/open";
    return key == null ? Http.post(url, body) : Http.post(url, body, "Idempotency-Key", key);
  }

  private static JsonNode read(String path) {
    return ProjectionInstances.readWhenOk(projectionApi + path, WAIT);
  }

  /** The subject's key records as they are on the keys topic (its wrapped data keys). */
  private static List<byte[]> wrappedKeys(String subject) {
    return records(env.get("TOPIC_PREFIX") + "data-keys", subject + "/").stream()
        .filter(r -> !new String(r.key(), StandardCharsets.UTF_8).endsWith("!erased"))
        .filter(r -> r.value() != null)
        .map(ConsumerRecord::value)
        .toList();
  }

  /** Every record of {@code topic} (all partitions) whose key starts with {@code keyPrefix}. */
  private static List<ConsumerRecord<byte[], byte[]>> records(String topic, String keyPrefix) {
    return EventLog.readRaw(env.get("KAFKA_BOOTSTRAP_SERVERS"), topic).stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(keyPrefix))
        .toList();
  }

  /** Every regular file under {@code dir} that holds {@code needle}. */
  static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] content;
        try {
          content = Files.readAllBytes(file);
        } catch (NoSuchFileException deletedMeanwhile) {
          continue;
        }
        if (indexOf(content, needle) >= 0) {
          found.add(file);
        }
      }
    } catch (java.io.UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e;
      }
      return filesContaining(dir, needle); // a file went while walking: again
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
