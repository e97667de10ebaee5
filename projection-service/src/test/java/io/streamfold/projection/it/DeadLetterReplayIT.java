package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dead letter replayed after its cause was fixed: applied once, filling its gap as if it had come
 * in its turn (the stores then equal a rebuild's), never written to the event log again; refused
 * while its cause is not fixed; harmless when replayed twice.
 */
class DeadLetterReplayIT {
  @Test
  void shouldReplayAFixedDeadLetterIntoTheProjectionsOnce() {
    Map<String, String> env = Instances.environment("replay");
    String bootstrap = SharedStack.broker().bootstrapServers();
    String events = env.get("TOPIC_PREFIX") + "accounts.events";
    FixablePoison.createEventLog(bootstrap, events);
    try (ProjectionService projections = ProjectionInstances.start(env)) {
      String url = ProjectionInstances.url(projections);
      await().atMost(Duration.ofSeconds(90)).until(projections::isReady);
      FixablePoison poison =
          FixablePoison.write(bootstrap, SharedStack.registry().url(), events, "acc-1");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(url + "/api/v1/accounts/acc-1?minVersion=3").status() == 200);
      JsonNode gapped = Http.get(url + "/api/v1/accounts/acc-1").json();
      assertThat(gapped.get("missingVersions").asLong()).isEqualTo(1);
      assertThat(new BigDecimal(gapped.get("balance").asText()))
          .isEqualByComparingTo(FixablePoison.OPENING.add(FixablePoison.LATER));
      JsonNode listed = awaitDeadLetters(url, 1).get(0);
      String id = listed.get("id").asText();
      assertThat(listed.get("key").asText()).isEqualTo("acc-1");
      assertThat(listed.get("source").get("topic").asText()).isEqualTo(events);
      assertThat(listed.get("decodable").asBoolean()).isFalse();
      assertThat(listed.get("error").get("exception").asText()).isNotBlank();
      assertThat(
              Http.get(url + "/api/v1/dead-letters/" + id)
                  .json()
                  .get("error")
                  .get("stackTrace")
                  .asText())
          .isNotBlank();

      Http.Response early = Http.post(url + "/api/v1/dead-letters/" + id + "/replay", "");
      assertThat(early.status()).as(early.raw().body()).isEqualTo(409);
      assertThat(early.json().get("type").asText()).endsWith("dead-letter-not-fixed");

      poison.fix();
      JsonNode fixed = Http.get(url + "/api/v1/dead-letters/" + id).json();
      assertThat(fixed.get("decodable").asBoolean()).isTrue();
      assertThat(fixed.get("event").get("version").asLong()).isEqualTo(2);
      Http.Response replayed = Http.post(url + "/api/v1/dead-letters/" + id + "/replay", "");
      assertThat(replayed.status()).as(replayed.raw().body()).isEqualTo(202);
      assertThat(replayed.json().get("aggregateId").asText()).isEqualTo("acc-1");
      assertThat(replayed.json().get("version").asLong()).isEqualTo(2);
      assertThat(replayed.json().get("replay").get("topic").asText()).isEqualTo(events + ".replay");

      BigDecimal whole = FixablePoison.OPENING.add(FixablePoison.LOST).add(FixablePoison.LATER);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Http.get(url + "/api/v1/accounts/acc-1").json().path("missingVersions").asLong()
                      == 0); // shown only while some are missing
      JsonNode summary = Http.get(url + "/api/v1/accounts/acc-1").json();
      assertThat(new BigDecimal(summary.get("balance").asText())).isEqualByComparingTo(whole);
      assertThat(summary.get("transactionCount").asLong()).isEqualTo(3);
      JsonNode stream = Http.get(url + "/api/v1/streams/accounts/acc-1/events").json();
      assertThat(stream.get("events").findValuesAsText("version")).containsExactly("1", "2", "3");
      assertThat(EventLog.readRaw(bootstrap, events)).as("the log is not written").hasSize(3);

      Http.Response again = Http.post(url + "/api/v1/dead-letters/" + id + "/replay", "");
      assertThat(again.status()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Http.get(url + "/api/v1/status").json().get("duplicatesSkipped").asLong() == 1);
      JsonNode status = Http.get(url + "/api/v1/status").json();
      assertThat(status.get("gapsFilled").asLong()).isEqualTo(1);
      assertThat(
              new BigDecimal(
                  Http.get(url + "/api/v1/accounts/acc-1").json().get("balance").asText()))
          .isEqualByComparingTo(whole);

      // a replay that failed again is dead-lettered from the replay topic: replaying that one
      // finds the event on the log through the replay record's header
      JsonNode replay = replayed.json().get("replay");
      String dlq = env.get("TOPIC_PREFIX") + "projections.dlq";
      byte[] value = bytes(bootstrap, events);
      writeDeadLetter(
          bootstrap,
          dlq,
          value,
          replay.get("topic").asText(),
          replay.get("partition").asInt(),
          replay.get("offset").asLong());
      JsonNode second = awaitDeadLetters(url, 2).get(1);
      assertThat(second.get("source").get("topic").asText()).isEqualTo(events + ".replay");
      Http.Response chained =
          Http.post(url + "/api/v1/dead-letters/" + second.get("id").asText() + "/replay", "");
      assertThat(chained.status()).as(chained.raw().body()).isEqualTo(202);
      assertThat(chained.json().get("source").get("topic").asText()).isEqualTo(events);
      assertThat(chained.json().get("source").get("offset").asLong())
          .isEqualTo(replayed.json().get("source").get("offset").asLong());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Http.get(url + "/api/v1/status").json().get("duplicatesSkipped").asLong() == 2);

      // a dead letter that names something other than an event of the log is not replayed
      writeDeadLetter(bootstrap, dlq, value, "somewhere-else", 0, 0);
      JsonNode foreign = awaitDeadLetters(url, 3).get(2);
      Http.Response refused =
          Http.post(url + "/api/v1/dead-letters/" + foreign.get("id").asText() + "/replay", "");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("type").asText()).endsWith("not-in-event-log");
      JsonNode source = replayed.json().get("source");
      writeDeadLetter( // the log holds version 1 there, not these bytes
          bootstrap,
          dlq,
          value,
          events,
          source.get("partition").asInt(),
          source.get("offset").asLong() - 1);
      JsonNode forged = awaitDeadLetters(url, 4).get(3);
      Http.Response notTheSame =
          Http.post(url + "/api/v1/dead-letters/" + forged.get("id").asText() + "/replay", "");
      assertThat(notTheSame.status()).isEqualTo(409);
      assertThat(notTheSame.json().get("detail").asText()).contains("different event");

      // a rebuild, which meets version 2 in its turn now that it can be decoded, holds the same
      assertRebuildHoldsTheSame(env, url, "/api/v1/accounts/acc-1?minVersion=3");

      assertThat(Http.get(url + "/api/v1/dead-letters/x").status()).isEqualTo(400);
      assertThat(Http.get(url + "/api/v1/dead-letters/0-999999").status()).isEqualTo(404);
      assertThat(Http.get(url + "/api/v1/dead-letters?limit=0").status()).isEqualTo(400);
    }
  }

  /**
   * The same for a plugged-in view that keeps its history (the transfers'): the replay reaches the
   * view through its own replay topic and fills the gap, the versions after it folded again from
   * the events its history keeps; the stores then equal a rebuild's.
   */
  @Test
  void shouldReplayAFixedDeadLetterOfAPluggedInViewAndFillItsGap() {
    Map<String, String> env = Instances.environment("replay-view");
    String bootstrap = SharedStack.broker().bootstrapServers();
    FixablePoison.createEventLog(bootstrap, env.get("TOPIC_PREFIX") + "accounts.events");
    String events = env.get("TOPIC_PREFIX") + "transfers.events";
    try (ProjectionService projections = ProjectionInstances.start(env)) {
      String url = ProjectionInstances.url(projections);
      await().atMost(Duration.ofSeconds(90)).until(projections::isReady);
      FixablePoison poison =
          FixablePoison.writeTransfer(bootstrap, SharedStack.registry().url(), events, "move-9");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(url + "/api/v1/transfers/move-9?minVersion=4").status() == 200);
      assertThat(Http.get(url + "/api/v1/transfers/move-9").json().get("missingVersions").asLong())
          .isEqualTo(1);
      JsonNode listed = awaitDeadLetters(url, 1).get(0);
      String id = listed.get("id").asText();
      assertThat(listed.get("source").get("topic").asText()).isEqualTo(events);
      assertThat(listed.get("decodable").asBoolean()).isFalse();
      Http.Response early = Http.post(url + "/api/v1/dead-letters/" + id + "/replay", "");
      assertThat(early.status()).as(early.raw().body()).isEqualTo(409);

      poison.fix();
      JsonNode fixed = Http.get(url + "/api/v1/dead-letters/" + id).json();
      assertThat(fixed.get("event").get("type").asText()).isEqualTo("CreditAccountVerified");
      Http.Response replayed = Http.post(url + "/api/v1/dead-letters/" + id + "/replay", "");
      assertThat(replayed.status()).as(replayed.raw().body()).isEqualTo(202);
      assertThat(replayed.json().get("collection").asText()).isEqualTo("transfers");
      assertThat(replayed.json().get("aggregateId").asText()).isEqualTo("move-9");
      assertThat(replayed.json().get("version").asLong()).isEqualTo(2);
      assertThat(replayed.json().get("replay").get("topic").asText()).isEqualTo(events + ".replay");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !Http.get(url + "/api/v1/transfers/move-9").json().has("missingVersions"));
      assertThat(Http.get(url + "/api/v1/status").json().get("gapsFilled").asLong()).isEqualTo(1);
      JsonNode history = Http.get(url + "/api/v1/transfers/move-9/history").json();
      assertThat(history.get("versions").findValuesAsText("status"))
          .containsExactly("REQUESTED", "DEBITING", "CREDITING", "COMPLETED");
      assertThat(
              Http.get(url + "/api/v1/streams/transfers/move-9/events")
                  .json()
                  .get("events")
                  .findValuesAsText("version"))
          .containsExactly("1", "2", "3", "4");
      assertThat(EventLog.readRaw(bootstrap, events)).as("the log is not written").hasSize(4);

      assertRebuildHoldsTheSame(env, url, "/api/v1/transfers/move-9?minVersion=4");
    }
  }

  /**
   * A rebuild under a new application id, once {@code ready} answers on it, holds the same stores
   * as the instance at {@code url}.
   */
  static void assertRebuildHoldsTheSame(Map<String, String> env, String url, String ready) {
    Map<String, String> rebuildEnv = new HashMap<>(env);
    rebuildEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-rebuild");
    try (ProjectionService rebuild = ProjectionInstances.start(rebuildEnv)) {
      String rebuilt = ProjectionInstances.url(rebuild);
      await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(rebuilt + ready).status() == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(Digests.of(List.of(rebuilt))).isEqualTo(Digests.of(List.of(url))));
    }
  }

  /** The bytes of the lost event (version 2), as they are on the log. */
  static byte[] bytes(String bootstrap, String events) {
    return EventLog.readRaw(bootstrap, events).get(1).value();
  }

  /** A dead letter as Kafka Streams writes one, naming {@code topic-partition@offset} as source. */
  static void writeDeadLetter(
      String bootstrap, String dlq, byte[] value, String topic, int partition, long offset) {
    java.util.Properties config = new java.util.Properties();
    config.put("bootstrap.servers", bootstrap);
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
            config,
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      var record =
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              dlq, 0, null, "acc-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
      record
          .headers()
          .add("__streams.errors.exception", "java.lang.IllegalStateException".getBytes());
      record.headers().add("__streams.errors.message", "failed again".getBytes());
      record.headers().add("__streams.errors.topic", topic.getBytes());
      record.headers().add("__streams.errors.partition", Integer.toString(partition).getBytes());
      record.headers().add("__streams.errors.offset", Long.toString(offset).getBytes());
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<JsonNode> awaitDeadLetters(String url, int count) {
    List<JsonNode> found = new java.util.ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              found.clear();
              Http.get(url + "/api/v1/dead-letters").json().get("deadLetters").forEach(found::add);
              return found.size() >= count;
            });
    return found;
  }
}
