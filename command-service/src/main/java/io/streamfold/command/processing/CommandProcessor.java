package io.streamfold.command.processing;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.domain.Rejection;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Decides one command at a time for the aggregates of its partition. Per command: a repeat of a
 * command id within the idempotency window re-sends the first outcome; otherwise the version and
 * state come from the version table (O(1), no replay), the expected version is checked, the decider
 * decides, and the events, the new version row and the outcome are written, all in the task's
 * exactly-once transaction. Undecodable commands go to the dead-letter topic; nothing stops the
 * partition except an unreachable registry, which is transient and retried.
 */
final class CommandProcessor<C, E, S> implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

  private final Aggregate<C, E, S> aggregate;
  private final CoreSerdes serdes;
  private final Topics topics;
  private final Clock clock;
  private final Duration idempotencyWindow;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, VersionRecord> versions;
  private WindowStore<String, CommandOutcome> outcomes;

  CommandProcessor(
      Aggregate<C, E, S> aggregate,
      Topics topics,
      CoreSerdes serdes,
      Clock clock,
      Duration idempotencyWindow) {
    this.aggregate = aggregate;
    this.topics = topics;
    this.serdes = serdes;
    this.clock = clock;
    this.idempotencyWindow = idempotencyWindow;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.versions = context.getStateStore(StoreNames.versions(aggregate.type()));
    this.outcomes = context.getStateStore(StoreNames.outcomes(aggregate.type()));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    CommandEnvelope<C> command;
    try {
      command = aggregate.codec().decodeCommand(record.value());
    } catch (SerializationException | NullPointerException e) {
      deadLetter(record, e);
      return;
    }
    MDC.put("commandId", command.commandId());
    MDC.put("aggregateId", command.aggregateId());
    try {
      handle(record, command);
    } catch (RegistryUnavailableException e) {
      throw e; // transient: fail the task, the transaction aborts and the command is retried
    } catch (RuntimeException e) {
      LOG.error(
          "Command {} failed unexpectedly; dead-lettered and answered as an internal error",
          command.commandId(),
          e);
      deadLetter(record, e);
      reply(
          Outcomes.internalError(command, currentVersion(command.aggregateId()), clock.instant()),
          clock.instant());
    } finally {
      MDC.remove("commandId");
      MDC.remove("aggregateId");
    }
  }

  private void handle(Record<String, byte[]> record, CommandEnvelope<C> command) {
    Instant now = clock.instant();
    String outcomeKey = command.aggregateId() + '|' + command.commandId();
    CommandOutcome previous = previousOutcome(outcomeKey, now);
    if (previous != null) {
      LOG.debug("Repeated command id; answering with its first outcome");
      reply(previous, now);
      return;
    }
    CommandOutcome outcome;
    if (!command.aggregateId().equals(record.key())) {
      Rejection mismatch =
          Rejection.invalid(
              "key-mismatch", "The record key " + record.key() + " is not the aggregate id");
      outcome = Outcomes.rejected(command, currentVersion(command.aggregateId()), mismatch, now);
    } else {
      Decided decided =
          new Decide<>(aggregate, topics.events(), versions.get(command.aggregateId()))
              .apply(command, now);
      for (byte[] event : decided.events()) {
        context.forward(
            new Record<>(command.aggregateId(), event, now.toEpochMilli()), StoreNames.EVENTS_SINK);
      }
      if (decided.newVersion() != null) {
        versions.put(command.aggregateId(), decided.newVersion());
      }
      outcome = decided.outcome();
    }
    outcomes.put(outcomeKey, outcome, now.toEpochMilli());
    reply(outcome, now);
  }

  private CommandOutcome previousOutcome(String key, Instant now) {
    long from = now.minus(idempotencyWindow).toEpochMilli();
    try (WindowStoreIterator<CommandOutcome> found = outcomes.fetch(key, from, Long.MAX_VALUE)) {
      return found.hasNext() ? found.next().value : null;
    }
  }

  private long currentVersion(String aggregateId) {
    VersionRecord row = aggregateId == null ? null : versions.get(aggregateId);
    return row == null ? 0 : row.getVersion();
  }

  private void reply(CommandOutcome outcome, Instant now) {
    context.forward(
        new Record<>(outcome.getCommandId(), outcome, now.toEpochMilli()), StoreNames.RESULTS_SINK);
  }

  private void deadLetter(Record<String, byte[]> record, Exception e) {
    RecordHeaders headers = new RecordHeaders();
    header(headers, "streamfold.error.class", e.getClass().getName());
    header(headers, "streamfold.error.message", String.valueOf(e.getMessage()));
    context
        .recordMetadata()
        .ifPresent(
            meta -> {
              header(headers, "streamfold.source.topic", meta.topic());
              header(headers, "streamfold.source.partition", Integer.toString(meta.partition()));
              header(headers, "streamfold.source.offset", Long.toString(meta.offset()));
            });
    LOG.warn("Dead-lettered a command record from {}: {}", topics.commands(), e.toString());
    context.forward(
        new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
        StoreNames.DLQ_SINK);
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
