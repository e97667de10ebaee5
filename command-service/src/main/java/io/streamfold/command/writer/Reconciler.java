package io.streamfold.command.writer;

import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.domain.Decider;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.IdempotencyRecord;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.serde.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a restored partition against its event log, the source of truth, from its {@link Mark} to
 * the end, and says what to write so that the version table and the idempotency records agree with
 * the log again:
 *
 * <ul>
 *   <li>an event newer than its aggregate's row (the row's transaction was lost on the version
 *       table): the row is folded forward over the missing events, and a command sent with a key
 *       has its outcome remembered again from its events (they carry the request's fingerprint);
 *       without this, a retry of that command with its key would be decided again and append the
 *       same change twice;
 *   <li>a row newer than the log (the events were lost): the row is rebuilt from the aggregate's
 *       events in the whole partition, and remembered outcomes of the lost events are forgotten, so
 *       the next event follows the log's last without a gap and a retry is decided afresh.
 * </ul>
 *
 * Both need a transaction that the broker committed on some of its partitions and not on others;
 * {@link Mark} says where that has been seen. After a clean hand-over the tails after the mark are
 * one batch long and nothing is written.
 */
final class Reconciler<C, E, S> {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final WriterContext<C, E, S> context;
  private final int partition;
  private final LocalStore store;
  private final TopicPartition events;
  private final TopicPartition versions;
  private final TopicPartition idempotency;

  Reconciler(WriterContext<C, E, S> context, int partition, LocalStore store) {
    this.context = context;
    this.partition = partition;
    this.store = store;
    this.events = new TopicPartition(context.topics().events(), partition);
    this.versions = new TopicPartition(context.topics().versions(), partition);
    this.idempotency = new TopicPartition(context.topics().idempotency(), partition);
  }

  /**
   * The header on what a restore writes to repair the tables: such a row was computed from the log
   * and is not checked against the events after the mark (it has none there).
   */
  static final String REPAIR_HEADER = "streamfold.repair";

  /** What to write: rows by aggregate id, records by key; a null value deletes. */
  record Repairs(Map<String, byte[]> rows, Map<String, byte[]> records) {
    boolean none() {
      return rows.isEmpty() && records.isEmpty();
    }
  }

  /** An event of the log, decoded, with its bytes and the fingerprint of its command if any. */
  private record Logged<E>(EventEnvelope<E> event, byte[] bytes, String fingerprint) {}

  /**
   * Compares the store with the log after {@code mark}, up to {@code end} (the three partitions'
   * stable end offsets, in a {@link Mark}).
   */
  Repairs check(Mark mark, Mark end) {
    Map<String, Boolean> written = new HashMap<>(); // aggregate → its last row there is a repair
    Map<String, IdempotencyRecord> remembered = new HashMap<>(); // the last record per key
    Map<String, List<Logged<E>>> logged = new LinkedHashMap<>();
    read(
        Map.of(
            events, new long[] {mark.events(), end.events()},
            versions, new long[] {mark.versions(), end.versions()},
            idempotency, new long[] {mark.idempotency(), end.idempotency()}),
        record -> {
          if (record.topic().equals(versions.topic())) {
            written.put(key(record), record.headers().lastHeader(REPAIR_HEADER) != null);
          } else if (record.topic().equals(idempotency.topic())) {
            remembered.put(
                key(record),
                record.value() == null
                    ? null
                    : context.serdes().idempotency().decode(record.value()));
          } else {
            logged.computeIfAbsent(key(record), id -> new ArrayList<>()).add(logged(record));
          }
        });

    Set<String> rewritten = new HashSet<>();
    written.forEach(
        (id, repair) -> {
          if (!repair) {
            rewritten.add(id);
          }
        });
    Map<String, byte[]> rows = new HashMap<>();
    Set<String> ahead = new HashSet<>();
    Set<String> checked = new HashSet<>(rewritten);
    checked.addAll(logged.keySet());
    for (String id : checked) {
      VersionRecord row = row(store.version(id));
      long rowVersion = row == null ? 0 : row.getVersion();
      List<Logged<E>> tail = logged.getOrDefault(id, List.of());
      long logVersion = tail.isEmpty() ? -1 : tail.get(tail.size() - 1).event().version();
      if (logVersion > rowVersion) {
        List<Logged<E>> missing =
            tail.stream().filter(e -> e.event().version() > rowVersion).toList();
        if (missing.get(0).event().version() == rowVersion + 1) {
          LOG.warn(
              "Partition {}: {} is at version {} in the version table and {} in the log; folding"
                  + " the missing events into its row",
              partition,
              id,
              rowVersion,
              logVersion);
          rows.put(id, encode(fold(row, missing)));
        } else {
          ahead.add(id); // the row is not even the log's predecessor: rebuild it from the log
        }
      } else if (logVersion < rowVersion && (logVersion >= 0 || rewritten.contains(id))) {
        ahead.add(id);
      }
    }
    Map<String, Long> rebuilt = new HashMap<>();
    if (!ahead.isEmpty()) {
      rebuild(ahead, end)
          .forEach(
              (id, row) -> {
                long version = row == null ? 0 : row.getVersion();
                LOG.error(
                    "Partition {}: {} is ahead of the log in the version table, at version {} in the"
                        + " log: events of a batch answered 504 were lost; its row is rebuilt from the"
                        + " log",
                    partition,
                    id,
                    version);
                rows.put(id, row == null ? null : encode(row));
                rebuilt.put(id, version);
              });
    }

    Map<String, byte[]> records = new HashMap<>();
    rememberAgain(logged, records);
    for (IdempotencyRecord record : remembered.values()) {
      Long version = record == null ? null : rebuilt.get(record.getAggregateId().toString());
      if (version == null) {
        continue; // only the outcomes of rebuilt aggregates can be newer than the log
      }
      CommandOutcome outcome =
          context.serdes().outcomes().decode(WireFormat.toBytes(record.getOutcome()));
      if (outcome.getStatus() == OutcomeStatus.ACCEPTED && outcome.getVersion() > version) {
        records.put(record.getAggregateId() + "/" + record.getIdempotencyKey(), null);
      }
    }
    return new Repairs(rows, records);
  }

  /**
   * Remembers again the outcome of every command sent with a key whose events are in the log and
   * whose record is not in the store (nor too old to be kept).
   */
  private void rememberAgain(Map<String, List<Logged<E>>> logged, Map<String, byte[]> records) {
    Instant cutoff = context.clock().instant().minus(context.idempotencyWindow());
    for (List<Logged<E>> tail : logged.values()) {
      Map<String, List<Logged<E>>> byCommand = new LinkedHashMap<>();
      for (Logged<E> event : tail) {
        if (event.fingerprint() != null) {
          byCommand.computeIfAbsent(event.event().commandId(), c -> new ArrayList<>()).add(event);
        }
      }
      byCommand.forEach(
          (commandId, caused) -> {
            EventEnvelope<E> last = caused.get(caused.size() - 1).event();
            String key = last.aggregateId() + "/" + commandId;
            if (last.occurredAt().isBefore(cutoff) || store.idempotency(key) != null) {
              return;
            }
            LOG.warn(
                "Partition {}: the outcome of command {} on {} is in the log but not remembered;"
                    + " remembering it again",
                partition,
                commandId,
                last.aggregateId());
            CommandOutcome outcome =
                Outcomes.accepted(
                    commandId,
                    last.aggregateId(),
                    last.version(),
                    caused.stream().map(e -> e.event().eventId()).toList(),
                    caused.stream().map(Logged::bytes).toList(),
                    last.occurredAt());
            records.put(
                key,
                context
                    .serdes()
                    .idempotency()
                    .encode(
                        idempotency.topic(),
                        Batch.rememberedRecord(
                            context,
                            commandId,
                            caused.get(0).fingerprint(),
                            outcome,
                            last.occurredAt())));
          });
    }
  }

  /** The rows of {@code ids} folded from every event of theirs in the partition (null: none). */
  private Map<String, VersionRecord> rebuild(Set<String> ids, Mark end) {
    Map<String, List<Logged<E>>> streams = new HashMap<>();
    ids.forEach(id -> streams.put(id, new ArrayList<>()));
    read(
        Map.of(events, new long[] {0, end.events()}),
        record -> {
          List<Logged<E>> stream = streams.get(key(record));
          if (stream != null) {
            stream.add(logged(record));
          }
        });
    Map<String, VersionRecord> rows = new HashMap<>();
    streams.forEach((id, stream) -> rows.put(id, stream.isEmpty() ? null : fold(null, stream)));
    return rows;
  }

  private VersionRecord fold(VersionRecord row, List<Logged<E>> missing) {
    Decider<C, E, S> decider = context.aggregate().decider();
    S state = Decide.state(context.aggregate(), row);
    Instant updatedAt = row == null ? Instant.EPOCH : row.getUpdatedAt();
    EventEnvelope<E> last = null;
    for (Logged<E> logged : missing) {
      last = logged.event();
      state = decider.evolve(state, last.event(), last.occurredAt());
      updatedAt = last.occurredAt().isAfter(updatedAt) ? last.occurredAt() : updatedAt;
    }
    return VersionRecord.newBuilder()
        .setVersion(last.version())
        .setSnapshot(ByteBuffer.wrap(context.aggregate().codec().encodeState(state)))
        .setLastEventId(last.eventId())
        .setUpdatedAt(updatedAt)
        .build();
  }

  private Logged<E> logged(ConsumerRecord<byte[], byte[]> record) {
    Header fingerprint = record.headers().lastHeader(Batch.FINGERPRINT_HEADER);
    return new Logged<>(
        context.aggregate().codec().decodeEvent(record.value()),
        record.value(),
        fingerprint == null ? null : new String(fingerprint.value(), StandardCharsets.UTF_8));
  }

  private VersionRecord row(byte[] bytes) {
    return bytes == null ? null : context.serdes().versions().decode(bytes);
  }

  private byte[] encode(VersionRecord row) {
    return context.serdes().versions().encode(versions.topic(), row);
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  /** Reads each partition from its first to its second offset (read_committed), in order. */
  private void read(
      Map<TopicPartition, long[]> ranges,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        Restorer.consumer(context, partition, "reconcile", 50)) {
      consumer.assign(ranges.keySet());
      ranges.forEach((tp, range) -> consumer.seek(tp, range[0]));
      while (ranges.entrySet().stream()
          .anyMatch(r -> consumer.position(r.getKey()) < r.getValue()[1])) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < ranges.get(tp)[1]) {
            each.accept(record);
          }
        }
      }
    }
  }
}
