package io.streamfold.projection.events;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.query.QueryParams;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.RegistryUnavailableException;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters of the projections over HTTP: list them, show one, and replay one into the
 * projections once its cause is fixed.
 *
 * <p>A replay never writes to the event log (it would hold the event twice). It checks that the
 * dead letter can now be decoded, finds the event it came from on the log and checks the bytes are
 * the same, then writes it to the log's replay topic ({@code <events>.replay}), in the partition of
 * the original, which the projections read beside the log: the projector applies it once, filling
 * the gap its loss left (a view that already has the version skips it), so replaying twice is
 * harmless. A replay that fails again is dead-lettered again, from the replay topic; replaying that
 * one finds the original through the {@value #SOURCE_HEADER} header.
 *
 * <p>Reads are read_committed, one request at a time per instance (operators' requests, not a
 * serving path), with consumers created for the request.
 */
public final class DeadLetterRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoutes.class);

  /** On a replayed record: where the event is on the log, {@code topic:partition:offset}. */
  public static final String SOURCE_HEADER = "streamfold.replay.source";

  /** On a replayed record: the dead letter it replays, {@code partition-offset}. */
  public static final String REPLAY_OF_HEADER = "streamfold.replay.of";

  private static final Pattern ID = Pattern.compile("(\\d{1,9})-(\\d{1,18})");
  private static final int MAX_LIMIT = 1_000;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Properties clients;
  private final String deadLetters;
  private final List<Log> logs;
  private final Object lock = new Object();
  private KafkaProducer<byte[], byte[]> producer;
  private final PersonalData personal;

  /**
   * An event log whose dead letters can be replayed: each plugged-in view's.
   *
   * @param events the log's topic
   * @param replays its replay topic, which the projections read beside it
   * @param decoder decodes one of its events in registry wire format; throws when it cannot
   */
  public record Log(
      String collection,
      String events,
      String replays,
      Function<byte[], ? extends IndexedRecord> decoder) {}

  /**
   * @param logs the logs the projections read, the first being the default collection's (it decodes
   *     a dead letter that names no log)
   */
  public DeadLetterRoutes(
      Properties clients, String deadLetters, List<Log> logs, PersonalData personal) {
    this.clients = clients;
    this.personal = personal;
    this.deadLetters = deadLetters;
    this.logs = List.copyOf(logs);
  }

  /** The log whose events or replays {@code topic} holds, or null. */
  private Log logOf(String topic) {
    for (Log log : logs) {
      if (log.events().equals(topic) || log.replays().equals(topic)) {
        return log;
      }
    }
    return null;
  }

  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/dead-letters", this::list);
    config.routes.get("/api/v1/dead-letters/{id}", this::show);
    config.routes.post("/api/v1/dead-letters/{id}/replay", this::replay);
  }

  private void list(Context ctx) {
    int limit = QueryParams.limit(ctx, 100, MAX_LIMIT);
    Position from = ctx.queryParam("from") == null ? null : id(ctx.queryParam("from"));
    List<Map<String, Object>> page = new ArrayList<>();
    String next = null;
    synchronized (lock) {
      try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
        List<TopicPartition> partitions = partitions(consumer, deadLetters);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
          if (from != null && partition.partition() < from.partition()) {
            continue;
          }
          long start = starts.get(partition);
          if (from != null && partition.partition() == from.partition()) {
            start = Math.max(start, from.offset());
          }
          for (ConsumerRecord<byte[], byte[]> record :
              read(consumer, partition, start, ends.get(partition), limit - page.size() + 1)) {
            if (page.size() == limit) {
              next = record.partition() + "-" + record.offset();
              break;
            }
            page.add(describe(record, false));
          }
          if (next != null) {
            break;
          }
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deadLetters", page);
    body.put("next", next);
    ctx.json(body);
  }

  private void show(Context ctx) {
    Position id = id(ctx.pathParam("id"));
    synchronized (lock) {
      try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
        ctx.json(describe(one(consumer, deadLetters, id), true));
      }
    }
  }

  private void replay(Context ctx) {
    Position id = id(ctx.pathParam("id"));
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (lock) {
      try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
        ConsumerRecord<byte[], byte[]> dead = one(consumer, deadLetters, id);
        if (header(dead, "__streams.errors.topic") == null) {
          throw conflict(id, "it does not say where it came from (no __streams.errors.* headers)");
        }
        Log log = logOf(header(dead, "__streams.errors.topic"));
        if (log == null) {
          throw conflict(
              id,
              "it came from "
                  + header(dead, "__streams.errors.topic")
                  + ", not from an event log the projections read");
        }
        IndexedRecord event;
        try {
          event = log.decoder().apply(dead.value());
        } catch (RegistryUnavailableException e) {
          throw ProblemException.unavailable(
              "registry-unavailable", "The schema registry cannot be used: " + e.getMessage(), 5);
        } catch (RuntimeException stillFailing) {
          throw new ProblemException(
              Problem.of(
                  409,
                  "dead-letter-not-fixed",
                  "The dead letter still fails",
                  "Dead letter "
                      + id
                      + " still cannot be decoded ("
                      + stillFailing.getMessage()
                      + "): fix its cause first (a schema missing from the registry, a projector"
                      + " that rejects it), then replay it"));
        }
        Origin origin = origin(consumer, dead, id, log);
        ConsumerRecord<byte[], byte[]> original =
            at(consumer, new TopicPartition(origin.topic(), origin.partition()), origin.offset());
        if (original == null || !Arrays.equals(original.value(), dead.value())) {
          throw new ProblemException(
              Problem.of(
                  409,
                  "not-in-event-log",
                  "Not an event of the log",
                  "Dead letter "
                      + id
                      + " names "
                      + origin
                      + " as its source, but the event log holds "
                      + (original == null ? "no committed event" : "a different event")
                      + " there: only events of the log are replayed"));
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_HEADER, origin.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(REPLAY_OF_HEADER, id.toString().getBytes(StandardCharsets.UTF_8));
        RecordMetadata written;
        try {
          written =
              producer()
                  .send(
                      new ProducerRecord<>( // at the event's own time, as the log holds it
                          log.replays(),
                          origin.partition(),
                          original.timestamp(),
                          dead.key(),
                          dead.value(),
                          headers))
                  .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw ProblemException.unavailable(
              "replay-not-written", "The replay topic did not take the event: " + e, 5);
        }
        LOG.info(
            "Replayed dead letter {} ({}) into {}-{} at offset {}",
            id,
            origin,
            log.replays(),
            written.partition(),
            written.offset());
        body.put("id", id.toString());
        body.put("collection", log.collection());
        body.put("aggregateId", field(event, "aggregateId"));
        body.put("version", field(event, "version"));
        body.put("type", EventJson.type(event));
        body.put("source", origin.asMap());
        body.put(
            "replay",
            Map.of(
                "topic",
                log.replays(),
                "partition",
                written.partition(),
                "offset",
                written.offset()));
      }
    }
    ctx.status(202).json(body);
  }

  /**
   * Where the event of a dead letter is on the log: its source, or, for a replay that failed again,
   * the source its replay record names.
   */
  private Origin origin(
      KafkaConsumer<byte[], byte[]> consumer,
      ConsumerRecord<byte[], byte[]> dead,
      Position id,
      Log log) {
    String topic = header(dead, "__streams.errors.topic");
    String partition = header(dead, "__streams.errors.partition");
    String offset = header(dead, "__streams.errors.offset");
    if (topic == null || partition == null || offset == null) {
      throw conflict(id, "it does not say where it came from (no __streams.errors.* headers)");
    }
    Origin origin;
    try {
      origin = new Origin(topic, Integer.parseInt(partition), Long.parseLong(offset));
    } catch (NumberFormatException e) {
      throw conflict(id, "its __streams.errors.* headers are not a position");
    }
    if (origin.topic().equals(log.replays())) {
      ConsumerRecord<byte[], byte[]> replayed =
          at(consumer, new TopicPartition(log.replays(), origin.partition()), origin.offset());
      String source = replayed == null ? null : header(replayed, SOURCE_HEADER);
      if (source == null) {
        throw conflict(id, "its replay record at " + origin + " is gone");
      }
      origin = Origin.parse(source);
    }
    if (!origin.topic().equals(log.events())) {
      throw conflict(
          id, "it came from " + origin.topic() + ", not from the event log " + log.events());
    }
    return origin;
  }

  private static ProblemException conflict(Position id, String why) {
    return new ProblemException(
        Problem.of(
            409,
            "not-in-event-log",
            "Not an event of the log",
            "Dead letter " + id + " cannot be replayed: " + why));
  }

  private Map<String, Object> describe(ConsumerRecord<byte[], byte[]> record, boolean whole) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", record.partition() + "-" + record.offset());
    body.put("at", Instant.ofEpochMilli(record.timestamp()).toString());
    body.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
    body.put("size", record.value() == null ? 0 : record.value().length);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("topic", header(record, "__streams.errors.topic"));
    source.put("partition", number(header(record, "__streams.errors.partition")));
    source.put("offset", number(header(record, "__streams.errors.offset")));
    body.put("source", source);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("exception", header(record, "__streams.errors.exception"));
    error.put("message", header(record, "__streams.errors.message"));
    if (whole) {
      error.put("stackTrace", header(record, "__streams.errors.stacktrace"));
    }
    body.put("error", error);
    String replayOf = header(record, REPLAY_OF_HEADER);
    if (replayOf != null) {
      body.put("replayOf", replayOf);
    }
    Log log = logOf(header(record, "__streams.errors.topic"));
    if (log == null) {
      log = logs.get(0);
    }
    try {
      IndexedRecord event = log.decoder().apply(record.value());
      body.put(
          "event", Json.mapper().readTree(EventJson.render(log.collection(), event, personal)));
      body.put("decodable", true);
    } catch (RegistryUnavailableException e) {
      body.put("decodable", null); // unknown until the registry answers
      body.put("decodeError", "The schema registry cannot be used: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      body.put("decodable", false);
      body.put("decodeError", e.getMessage());
    }
    return body;
  }

  private ConsumerRecord<byte[], byte[]> one(
      KafkaConsumer<byte[], byte[]> consumer, String topic, Position id) {
    ConsumerRecord<byte[], byte[]> record =
        partitions(consumer, topic).stream().anyMatch(p -> p.partition() == id.partition())
            ? at(consumer, new TopicPartition(topic, id.partition()), id.offset())
            : null;
    if (record == null) {
      throw ProblemException.notFound("No dead letter " + id + " in " + topic);
    }
    return record;
  }

  /** The committed record at {@code offset}, or null (none there, or out of the log's range). */
  private static ConsumerRecord<byte[], byte[]> at(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    List<ConsumerRecord<byte[], byte[]>> found = read(consumer, partition, offset, end, 1);
    return found.isEmpty() || found.get(0).offset() != offset ? null : found.get(0);
  }

  /**
   * Up to {@code max} committed records of {@code partition} from {@code from} before {@code end}.
   */
  private static List<ConsumerRecord<byte[], byte[]>> read(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition partition,
      long from,
      long end,
      int max) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    if (from >= end) {
      return records;
    }
    consumer.assign(List.of(partition));
    consumer.seek(partition, from);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (records.size() < max
        && consumer.position(partition) < end
        && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (records.size() < max && record.offset() < end) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
    return infos == null
        ? List.of()
        : infos.stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .toList();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties config = new Properties();
    config.putAll(clients);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_LIMIT + 1);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      config.putAll(clients);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  public void close() {
    synchronized (lock) {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
        producer = null;
      }
    }
  }

  private static Position id(String value) {
    Matcher matcher = ID.matcher(value == null ? "" : value);
    if (!matcher.matches()) {
      throw ProblemException.badRequest(
          "invalid-dead-letter-id",
          "A dead letter's id is <partition>-<offset> as listed, e.g. 0-12; not " + value);
    }
    return new Position(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Long number(String value) {
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Object field(IndexedRecord event, String name) {
    if (event.getSchema().getField(name) == null) {
      return null; // a plug-in's envelope may name it otherwise
    }
    Object value = event.get(event.getSchema().getField(name).pos());
    return value instanceof CharSequence text ? text.toString() : value;
  }

  /** A dead letter's place in the dead-letter topic. */
  private record Position(int partition, long offset) {
    @Override
    public String toString() {
      return partition + "-" + offset;
    }
  }

  /** An event's place on the log. */
  private record Origin(String topic, int partition, long offset) {
    static Origin parse(String value) {
      int last = value.lastIndexOf(':');
      int before = value.lastIndexOf(':', last - 1);
      return new Origin(
          value.substring(0, before),
          Integer.parseInt(value.substring(before + 1, last)),
          Long.parseLong(value.substring(last + 1)));
    }

    Map<String, Object> asMap() {
      return Map.of("topic", topic, "partition", partition, "offset", offset);
    }

    @Override
    public String toString() {
      return topic + ":" + partition + ":" + offset;
    }
  }
}
