package io.streamfold.command.writer;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.command.domain.Process;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.IdempotencyRecord;
import io.streamfold.schemas.core.InboxCommand;
import io.streamfold.schemas.core.InboxRecord;
import io.streamfold.schemas.core.InboxReply;
import io.streamfold.schemas.core.ReplyAddress;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.RegistryUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One batch of a partition's commands, decided in order against the committed state plus the
 * batch's earlier commands, written in one transaction: events, version rows and the idempotency
 * records of final outcomes. {@link #decide} sends; the writer then commits and {@link #finish}
 * writes the local store and answers. Nothing is answered before the commit returns.
 */
final class Batch<C> {
  private static final Logger LOG = LoggerFactory.getLogger(Batch.class);

  private final WriterContext<C, ?, ?> context;
  private final int partition;
  private final LocalStore store;
  private final Map<String, VersionRecord> rows = new HashMap<>();
  private final Map<String, IdempotencyRecord> remembered = new HashMap<>();
  private final Map<String, byte[]> rowBytes = new HashMap<>();
  private final Map<String, byte[]> rememberedBytes = new HashMap<>();
  private final List<Answer> answers = new ArrayList<>();
  private final byte[] mark;
  private Future<RecordMetadata> lastEvent;
  private Future<RecordMetadata> lastRow;
  private Future<RecordMetadata> lastRemembered;
  private final Map<String, Instant> deadlines = new HashMap<>();

  /**
   * The header on the events of a command sent with a client's key: the request's fingerprint, so
   * that a restore can remember the outcome again from the log should its record have been lost.
   */
  static final String FINGERPRINT_HEADER = "streamfold.fingerprint";

  /**
   * @param position where the partition stands before the batch; its {@link Mark} goes on every row
   *     and record the batch writes
   */
  Batch(
      WriterContext<C, ?, ?> context,
      int partition,
      LocalStore store,
      PartitionStore.Checkpoint position) {
    this.context = context;
    this.partition = partition;
    this.store = store;
    this.mark = position.mark().bytes();
  }

  /** Whether {@link #decide} wrote anything, so there is a transaction to commit. */
  boolean writes() {
    return lastEvent != null || lastRow != null || lastRemembered != null;
  }

  /**
   * Decides every command and sends what they write; {@code begin} is called before the first send.
   * A registry or store failure throws and the caller aborts the whole batch; a failure of one
   * decision answers that command with an internal error and leaves the rest.
   */
  void decide(List<Pending<C>> commands, Producer<String, byte[]> producer, Runnable begin) {
    for (Pending<C> pending : commands) {
      CommandEnvelope<C> command = pending.command();
      MDC.put("commandId", command.commandId());
      MDC.put("aggregateId", command.aggregateId());
      try {
        answers.add(new Answer(pending, decideOne(command, producer, begin)));
      } finally {
        MDC.remove("commandId");
        MDC.remove("aggregateId");
      }
    }
  }

  private CommandOutcome decideOne(
      CommandEnvelope<C> command, Producer<String, byte[]> producer, Runnable begin) {
    String rememberedKey = command.aggregateId() + '/' + command.commandId();
    VersionRecord row = row(command.aggregateId());
    Instant now = businessTime(row);
    if (command.remembered()) {
      IdempotencyRecord previous = remembered(rememberedKey, now);
      if (previous != null) {
        LOG.debug("Repeated idempotency key; answering with its first outcome");
        return previous.getFingerprint().equals(command.fingerprint())
            ? context.serdes().outcomes().decode(bytes(previous.getOutcome()))
            : Outcomes.keyReused(command, row == null ? 0 : row.getVersion(), now);
      }
    }
    Decided decided;
    try {
      decided =
          new Decide<>(context.aggregate(), context.topics().events(), row).apply(command, now);
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("Command {} could not be decided; answered as an internal error", command, e);
      return Outcomes.internalError(command, row == null ? 0 : row.getVersion(), now);
    }
    // a message's sender acts on its first answer, so that answer is kept whatever it is
    boolean remember =
        command.remembered() && (Outcomes.isFinal(decided.outcome()) || Messages.carried(command));
    if (decided.events().isEmpty() && decided.newVersion() == null && !remember) {
      return decided.outcome();
    }
    if (!writes()) {
      begin.run();
    }
    long timestamp = now.toEpochMilli();
    for (byte[] event : decided.events()) {
      lastEvent =
          producer.send(
              new ProducerRecord<>(
                  context.topics().events(),
                  partition,
                  timestamp,
                  command.aggregateId(),
                  event,
                  command.remembered()
                      ? new RecordHeaders()
                          .add(
                              FINGERPRINT_HEADER,
                              command.fingerprint().getBytes(StandardCharsets.UTF_8))
                      : null));
    }
    if (decided.newVersion() != null) {
      byte[] encoded =
          context.serdes().versions().encode(context.topics().versions(), decided.newVersion());
      rows.put(command.aggregateId(), decided.newVersion());
      rowBytes.put(command.aggregateId(), encoded);
      lastRow =
          producer.send(
              new ProducerRecord<>(
                  context.topics().versions(),
                  partition,
                  timestamp,
                  command.aggregateId(),
                  encoded,
                  markHeader()));
    }
    if (remember) {
      remember(rememberedKey, command, decided.outcome(), now, producer);
    }
    for (Process.Outgoing message : decided.messages()) {
      send(
          producer,
          message.collection(),
          Messages.command(
              message,
              context.aggregate().collection(),
              command.aggregateId(),
              command.correlationId(),
              now),
          now);
    }
    if (decided.deadline() != null) {
      deadlines.put(command.aggregateId(), decided.deadline());
    }
    return decided.outcome();
  }

  /**
   * Decides the partition's inbox messages in order, after its queued commands: a process's command
   * (remembered under its message id, and answered to its sender when it asks for a reply), or a
   * reply, which the process turns into its next command. {@code begin} has been called: the inbox
   * position commits in this transaction whatever the messages write.
   */
  void decideMessages(
      List<ConsumerRecord<byte[], byte[]>> messages,
      Producer<String, byte[]> producer,
      Runnable begin) {
    for (ConsumerRecord<byte[], byte[]> record : messages) {
      InboxRecord message;
      try {
        message = context.serdes().inbox().decode(record.value());
      } catch (org.apache.kafka.common.errors.SerializationException e) {
        LOG.error(
            "The inbox message at offset {} of partition {} cannot be read; skipped",
            record.offset(),
            partition,
            e);
        continue;
      }
      MDC.put("commandId", message.getMessageId());
      MDC.put("aggregateId", message.getAggregateId());
      try {
        if (message.getBody() instanceof InboxCommand body) {
          decideMessage(message, body, producer, begin);
        } else if (message.getBody() instanceof InboxReply reply) {
          decideReply(message, reply, producer, begin);
        }
      } finally {
        MDC.remove("commandId");
        MDC.remove("aggregateId");
      }
    }
  }

  private void decideMessage(
      InboxRecord message, InboxCommand body, Producer<String, byte[]> producer, Runnable begin) {
    C command = null;
    String invalid = null;
    try {
      command = context.aggregate().inboxCommand(body.getAction(), Messages.fields(body));
    } catch (IllegalArgumentException e) {
      invalid = e.getMessage();
    }
    CommandEnvelope<C> envelope = internal(message, Messages.fingerprint(body), command);
    CommandOutcome outcome;
    if (invalid != null) {
      VersionRecord row = row(message.getAggregateId());
      outcome =
          Outcomes.rejected(
              envelope,
              row == null ? 0 : row.getVersion(),
              io.streamfold.command.domain.Rejection.invalid("invalid-message", invalid),
              context.clock().instant());
    } else {
      outcome = decideOne(envelope, producer, begin);
    }
    ReplyAddress to = body.getReplyTo();
    if (to != null) {
      Instant now = context.clock().instant();
      byte[] withoutEvents =
          context
              .serdes()
              .outcomes()
              .encode(context.topics().idempotency(), Messages.withoutEvents(outcome));
      send(producer, to.getCollection(), Messages.reply(message, to, withoutEvents, now), now);
    }
  }

  private void decideReply(
      InboxRecord message, InboxReply reply, Producer<String, byte[]> producer, Runnable begin) {
    Process<C, ?, ?> process = context.aggregate().process();
    if (process == null) {
      LOG.error("A reply reached {}, which sends no messages; skipped", context.topics().inbox());
      return;
    }
    CommandOutcome outcome = context.serdes().outcomes().decode(bytes(reply.getOutcome()));
    decideOne(
        internal(message, null, process.onReply(reply.getStep(), Messages.reply(outcome))),
        producer,
        begin);
  }

  /** Writes {@code message} to the inbox of {@code collection}, keyed by its recipient. */
  private void send(
      Producer<String, byte[]> producer, String collection, InboxRecord message, Instant at) {
    String topic = context.topics().inboxOf(collection);
    producer.send(
        new ProducerRecord<>(
            topic,
            null,
            at.toEpochMilli(),
            message.getAggregateId(),
            context.serdes().inbox().encode(topic, message)));
  }

  /** A command the writer issues itself (from a message, or at a deadline): any version. */
  private static <C> CommandEnvelope<C> internal(
      String id,
      String aggregateId,
      String correlationId,
      Instant at,
      String fingerprint,
      C command) {
    return new CommandEnvelope<>(
        id, aggregateId, ExpectedVersion.ANY, correlationId, null, at, fingerprint, command);
  }

  private static <C> CommandEnvelope<C> internal(
      InboxRecord message, String fingerprint, C command) {
    return internal(
        message.getMessageId(),
        message.getAggregateId(),
        message.getCorrelationId(),
        message.getSentAt(),
        fingerprint,
        command);
  }

  /** Decides the command each passed deadline becomes, for its process. */
  void decideDeadlines(
      List<Deadlines.Deadline> due, Producer<String, byte[]> producer, Runnable begin) {
    Process<C, ?, ?> process = context.aggregate().process();
    for (Deadlines.Deadline deadline : due) {
      String id = deadline.aggregateId() + ".deadline." + deadline.at().toEpochMilli();
      decideOne(
          internal(
              id,
              deadline.aggregateId(),
              id,
              deadline.at(),
              null,
              process.onDeadline(deadline.at())),
          producer,
          begin);
    }
  }

  /** The deadlines the batch's decisions asked for (aggregate id → when). */
  Map<String, Instant> deadlines() {
    return deadlines;
  }

  private void remember(
      String key,
      CommandEnvelope<C> command,
      CommandOutcome outcome,
      Instant now,
      Producer<String, byte[]> producer) {
    String topic = context.topics().idempotency();
    IdempotencyRecord record =
        rememberedRecord(context, command.commandId(), command.fingerprint(), outcome, now);
    byte[] encoded = context.serdes().idempotency().encode(topic, record);
    remembered.put(key, record);
    rememberedBytes.put(key, encoded);
    lastRemembered =
        producer.send(
            new ProducerRecord<>(topic, partition, now.toEpochMilli(), key, encoded, markHeader()));
  }

  /** The record remembering {@code outcome} under the client's key. */
  static IdempotencyRecord rememberedRecord(
      WriterContext<?, ?, ?> context,
      String idempotencyKey,
      String fingerprint,
      CommandOutcome outcome,
      Instant at) {
    return IdempotencyRecord.newBuilder()
        .setAggregateId(outcome.getAggregateId())
        .setIdempotencyKey(idempotencyKey)
        .setFingerprint(fingerprint)
        .setOutcome(
            ByteBuffer.wrap(
                context.serdes().outcomes().encode(context.topics().idempotency(), outcome)))
        .setRecordedAt(at)
        .build();
  }

  private org.apache.kafka.common.header.Headers markHeader() {
    return new RecordHeaders().add(Mark.HEADER, mark);
  }

  /**
   * The aggregate's last event time or the clock, whichever is later: business time never runs
   * backwards within an aggregate, whatever the clocks of its successive owners say.
   */
  private Instant businessTime(VersionRecord row) {
    Instant clock = context.clock().instant();
    return row == null || !row.getUpdatedAt().isAfter(clock) ? clock : row.getUpdatedAt();
  }

  private VersionRecord row(String aggregateId) {
    VersionRecord pending = rows.get(aggregateId);
    if (pending != null) {
      return pending;
    }
    byte[] stored = store.version(aggregateId);
    return stored == null ? null : context.serdes().versions().decode(stored);
  }

  private IdempotencyRecord remembered(String key, Instant now) {
    IdempotencyRecord record = remembered.get(key);
    if (record == null) {
      byte[] stored = store.idempotency(key);
      record = stored == null ? null : context.serdes().idempotency().decode(stored);
    }
    boolean expired =
        record != null && record.getRecordedAt().isBefore(now.minus(context.idempotencyWindow()));
    return expired ? null : record;
  }

  /**
   * After the commit (or when nothing was written): brings the local store to the new checkpoint
   * and answers every command. A store failure here throws after answering: the batch is committed,
   * and the writer must restore before it decides anything else.
   */
  PartitionStore.Checkpoint finish(PartitionStore.Checkpoint before) throws Exception {
    PartitionStore.Checkpoint after = before;
    try {
      if (writes()) {
        long versions = lastRow == null ? before.versions() : lastRow.get().offset() + 1;
        long idempotency =
            lastRemembered == null ? before.idempotency() : lastRemembered.get().offset() + 1;
        long events = lastEvent == null ? before.mark().events() : lastEvent.get().offset() + 1;
        // read back from all three partitions (the writer awaited it), so they agree up to here
        after =
            new PartitionStore.Checkpoint(
                versions, idempotency, new Mark(events, versions, idempotency));
        store.apply(rowBytes, rememberedBytes, after);
      }
    } finally {
      answers.forEach(answer -> answer.pending().complete(answer.outcome(), context.completions()));
    }
    return after;
  }

  /**
   * The last offset the batch wrote in each of its partitions (events, version table, idempotency
   * records), once committed: what {@link Visibility} waits for before the batch is answered.
   */
  Map<org.apache.kafka.common.TopicPartition, Long> lastOffsets() throws Exception {
    Map<org.apache.kafka.common.TopicPartition, Long> offsets = new HashMap<>();
    for (Future<RecordMetadata> sent :
        java.util.Arrays.asList(lastEvent, lastRow, lastRemembered)) {
      if (sent != null) {
        RecordMetadata metadata = sent.get();
        offsets.put(
            new org.apache.kafka.common.TopicPartition(metadata.topic(), metadata.partition()),
            metadata.offset());
      }
    }
    return offsets;
  }

  /** Answers every command of the batch with the same failure. */
  void fail(List<Pending<C>> commands, WriteFailure failure) {
    fail(commands, failure, context.completions());
  }

  static <C> void fail(
      List<Pending<C>> commands, WriteFailure failure, java.util.concurrent.Executor executor) {
    commands.forEach(pending -> pending.fail(failure, executor));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    return io.streamfold.schemas.serde.WireFormat.toBytes(buffer);
  }

  private record Answer(Pending<?> pending, CommandOutcome outcome) {}
}
