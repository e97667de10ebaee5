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
 * records of final outcomes. {@link #decide} only decides and keeps what to write; {@link #send}
 * sends it in the writer's transaction, the writer commits, and {@link #finish} writes the local
 * store and answers. Nothing is answered before the commit returns.
 *
 * <p>A batch may be decided while the same partition's batch of the round before is still in flight
 * (committed, not yet read back and stored): it then reads that batch's rows and records before the
 * store ({@code previous}), and is sent only once that round is visible, or dropped unsent if it
 * failed.
 */
final class Batch<C> {
  private static final Logger LOG = LoggerFactory.getLogger(Batch.class);

  private final WriterContext<C, ?, ?> context;
  private final int partition;
  private final LocalStore store;

  /** The partition's batch of the round in flight when this one was decided, until it is stored. */
  private Batch<C> previous;

  private final Map<String, VersionRecord> rows = new HashMap<>();
  private final Map<String, IdempotencyRecord> remembered = new HashMap<>();
  private final Map<String, byte[]> rowBytes = new HashMap<>();
  private final Map<String, byte[]> rememberedBytes = new HashMap<>();
  private final List<Answer> answers = new ArrayList<>();

  /** What the decisions write, in order; sent by {@link #send}. */
  private final List<Out> outgoing = new ArrayList<>();

  private boolean writes;
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
   * @param previous the partition's batch of the round in flight (committed, not yet stored), or
   *     null
   */
  Batch(WriterContext<C, ?, ?> context, int partition, LocalStore store, Batch<C> previous) {
    this.context = context;
    this.partition = partition;
    this.store = store;
    this.previous = previous;
  }

  /** Whether the decisions write anything, so there is a transaction to send and commit. */
  boolean sends() {
    return !outgoing.isEmpty();
  }

  /** The round before is in the store now: read it there. */
  void previousStored() {
    previous = null;
  }

  /**
   * Decides every command and keeps what they write. A registry or store failure throws and the
   * caller drops the whole round; a failure of one decision answers that command with an internal
   * error and leaves the rest.
   */
  void decide(List<Pending<C>> commands) {
    for (Pending<C> pending : commands) {
      CommandEnvelope<C> command = pending.command();
      MDC.put("commandId", command.commandId());
      MDC.put("aggregateId", command.aggregateId());
      try {
        answers.add(new Answer(pending, decideOne(command)));
      } finally {
        MDC.remove("commandId");
        MDC.remove("aggregateId");
      }
    }
  }

  private CommandOutcome decideOne(CommandEnvelope<C> command) {
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
    long timestamp = now.toEpochMilli();
    for (byte[] event : decided.events()) {
      outgoing.add(
          new Out(
              Kind.EVENT,
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
                      : null)));
    }
    if (decided.newVersion() != null) {
      byte[] encoded =
          context.serdes().versions().encode(context.topics().versions(), decided.newVersion());
      rows.put(command.aggregateId(), decided.newVersion());
      rowBytes.put(command.aggregateId(), encoded);
      outgoing.add(
          new Out(
              Kind.ROW,
              new ProducerRecord<>(
                  context.topics().versions(),
                  partition,
                  timestamp,
                  command.aggregateId(),
                  encoded,
                  new RecordHeaders())));
    }
    if (remember) {
      remember(rememberedKey, command, decided.outcome(), now);
    }
    for (Process.Outgoing message : decided.messages()) {
      send(
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
   * reply, which the process turns into its next command. The inbox position commits in the round's
   * transaction whatever the messages write.
   */
  void decideMessages(List<ConsumerRecord<byte[], byte[]>> messages) {
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
          decideMessage(message, body);
        } else if (message.getBody() instanceof InboxReply reply) {
          decideReply(message, reply);
        }
      } finally {
        MDC.remove("commandId");
        MDC.remove("aggregateId");
      }
    }
  }

  private void decideMessage(InboxRecord message, InboxCommand body) {
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
      outcome = decideOne(envelope);
    }
    ReplyAddress to = body.getReplyTo();
    if (to != null) {
      Instant now = context.clock().instant();
      byte[] withoutEvents =
          context
              .serdes()
              .outcomes()
              .encode(context.topics().idempotency(), Messages.withoutEvents(outcome));
      send(to.getCollection(), Messages.reply(message, to, withoutEvents, now), now);
    }
  }

  private void decideReply(InboxRecord message, InboxReply reply) {
    Process<C, ?, ?> process = context.aggregate().process();
    if (process == null) {
      LOG.error("A reply reached {}, which sends no messages; skipped", context.topics().inbox());
      return;
    }
    CommandOutcome outcome = context.serdes().outcomes().decode(bytes(reply.getOutcome()));
    decideOne(internal(message, null, process.onReply(reply.getStep(), Messages.reply(outcome))));
  }

  /** Writes {@code message} to the inbox of {@code collection}, keyed by its recipient. */
  private void send(String collection, InboxRecord message, Instant at) {
    String topic = context.topics().inboxOf(collection);
    outgoing.add(
        new Out(
            Kind.MESSAGE,
            new ProducerRecord<>(
                topic,
                null,
                at.toEpochMilli(),
                message.getAggregateId(),
                context.serdes().inbox().encode(topic, message))));
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
  void decideDeadlines(List<Deadlines.Deadline> due) {
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
              process.onDeadline(deadline.at())));
    }
  }

  /** The deadlines the batch's decisions asked for (aggregate id → when). */
  Map<String, Instant> deadlines() {
    return deadlines;
  }

  private void remember(
      String key, CommandEnvelope<C> command, CommandOutcome outcome, Instant now) {
    String topic = context.topics().idempotency();
    IdempotencyRecord record =
        rememberedRecord(context, command.commandId(), command.fingerprint(), outcome, now);
    byte[] encoded = context.serdes().idempotency().encode(topic, record);
    remembered.put(key, record);
    rememberedBytes.put(key, encoded);
    outgoing.add(
        new Out(
            Kind.REMEMBERED,
            new ProducerRecord<>(
                topic, partition, now.toEpochMilli(), key, encoded, new RecordHeaders())));
  }

  /**
   * Sends what the decisions write, in the producer's open transaction. {@code position} is where
   * the partition stands now; its {@link Mark} goes on every row and record the batch writes.
   */
  void send(Producer<String, byte[]> producer, PartitionStore.Checkpoint position) {
    byte[] mark = position.mark().bytes();
    for (Out out : outgoing) {
      if (out.kind() == Kind.ROW || out.kind() == Kind.REMEMBERED) {
        out.record().headers().add(Mark.HEADER, mark);
      }
      Future<RecordMetadata> sent = producer.send(out.record());
      switch (out.kind()) {
        case EVENT -> lastEvent = sent;
        case ROW -> lastRow = sent;
        case REMEMBERED -> lastRemembered = sent;
        case MESSAGE -> {}
      }
    }
    writes = lastEvent != null || lastRow != null || lastRemembered != null;
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
    if (pending == null && previous != null) {
      pending = previous.rows.get(aggregateId);
    }
    if (pending != null) {
      return pending;
    }
    byte[] stored = store.version(aggregateId);
    return stored == null ? null : context.serdes().versions().decode(stored);
  }

  private IdempotencyRecord remembered(String key, Instant now) {
    IdempotencyRecord record = remembered.get(key);
    if (record == null && previous != null) {
      record = previous.remembered.get(key);
    }
    if (record == null) {
      byte[] stored = store.idempotency(key);
      record = stored == null ? null : context.serdes().idempotency().decode(stored);
    }
    boolean expired =
        record != null && record.getRecordedAt().isBefore(now.minus(context.idempotencyWindow()));
    return expired ? null : record;
  }

  /**
   * After the commit (or when nothing was written): brings the local store from {@code before} to
   * the new checkpoint and answers every command. A store failure here throws after answering: the
   * batch is committed, and the writer must restore before it decides anything else.
   */
  PartitionStore.Checkpoint finish(PartitionStore.Checkpoint before) throws Exception {
    PartitionStore.Checkpoint after = before;
    try {
      if (writes) {
        after = after(before);
        store.apply(rowBytes, rememberedBytes, after);
      }
    } finally {
      answers.forEach(answer -> answer.pending().complete(answer.outcome(), context.completions()));
    }
    return after;
  }

  /**
   * Where the partition stands once this committed batch is read back, from {@code before}: past
   * its last event, row and record. Read back from all three partitions (the writer awaited it), so
   * they agree up to there.
   */
  PartitionStore.Checkpoint after(PartitionStore.Checkpoint before) throws Exception {
    if (!writes) {
      return before;
    }
    long versions = lastRow == null ? before.versions() : lastRow.get().offset() + 1;
    long idempotency =
        lastRemembered == null ? before.idempotency() : lastRemembered.get().offset() + 1;
    long events = lastEvent == null ? before.mark().events() : lastEvent.get().offset() + 1;
    return new PartitionStore.Checkpoint(
        versions, idempotency, new Mark(events, versions, idempotency));
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

  /**
   * A record to send, and what it is: an event, a version row, an idempotency record, a message.
   */
  private record Out(Kind kind, ProducerRecord<String, byte[]> record) {}

  private enum Kind {
    EVENT,
    ROW,
    REMEMBERED,
    MESSAGE
  }
}
