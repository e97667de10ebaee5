package io.streamfold.command.writer;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Decision;
import io.streamfold.command.domain.Process;
import io.streamfold.command.domain.Rejection;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.serde.WireFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision against one version-table row, with no side effect: checks the expected version,
 * decides, numbers and encodes the events, folds them into the new snapshot.
 */
final class Decide<C, E, S> {
  private final Aggregate<C, E, S> aggregate;
  private final String eventsTopic;
  private final VersionRecord row;

  Decide(Aggregate<C, E, S> aggregate, String eventsTopic, VersionRecord row) {
    this.aggregate = aggregate;
    this.eventsTopic = eventsTopic;
    this.row = row;
  }

  Decided apply(CommandEnvelope<C> command, Instant now) {
    long version = row == null ? 0 : row.getVersion();
    Rejection precondition = command.expected().check(version);
    if (precondition != null) {
      return rejected(command, version, precondition, now);
    }
    Decider<C, E, S> decider = aggregate.decider();
    S state = state(aggregate, row);
    Decision<E> decision = decider.decide(command.command(), state, now);
    if (decision instanceof Decision.Rejected<E> rejected) {
      return rejected(command, version, rejected.rejection(), now);
    } else if (decision instanceof Decision.Accepted<E> accepted) {
      return accepted(command, version, state, accepted.events(), now);
    }
    throw new IllegalStateException("Unknown decision " + decision);
  }

  /** The state a version row holds, or the initial state when there is no row. */
  static <S> S state(Aggregate<?, ?, S> aggregate, VersionRecord row) {
    return row == null
        ? aggregate.decider().initialState()
        : aggregate.codec().decodeState(WireFormat.toBytes(row.getSnapshot()));
  }

  private Decided accepted(
      CommandEnvelope<C> command, long version, S state, List<E> events, Instant now) {
    if (events.isEmpty()) {
      return new Decided(
          List.of(), null, Outcomes.accepted(command, version, List.of(), List.of(), now));
    }
    List<byte[]> encoded = new ArrayList<>(events.size());
    List<String> ids = new ArrayList<>(events.size());
    S next = state;
    long nextVersion = version;
    for (int i = 0; i < events.size(); i++) {
      E event = events.get(i);
      nextVersion++;
      String eventId = EventIds.of(aggregate.type(), command.aggregateId(), command.commandId(), i);
      EventEnvelope<E> envelope =
          new EventEnvelope<>(
              eventId,
              command.aggregateId(),
              nextVersion,
              now,
              command.commandId(),
              command.correlationId(),
              command.principal(),
              event);
      encoded.add(aggregate.codec().encodeEvent(eventsTopic, envelope));
      ids.add(eventId);
      next = aggregate.decider().evolve(next, event, now);
    }
    VersionRecord newRow =
        VersionRecord.newBuilder()
            .setVersion(nextVersion)
            .setSnapshot(ByteBuffer.wrap(aggregate.codec().encodeState(next)))
            .setLastEventId(ids.get(ids.size() - 1))
            .setUpdatedAt(now)
            .build();
    CommandOutcome outcome = Outcomes.accepted(command, nextVersion, ids, encoded, now);
    Process<C, E, S> process = aggregate.process();
    if (process == null) {
      return new Decided(encoded, newRow, outcome);
    }
    return new Decided(
        encoded,
        newRow,
        outcome,
        process.react(command.aggregateId(), next, events),
        process.deadline(next));
  }

  private static <C> Decided rejected(
      CommandEnvelope<C> command, long version, Rejection rejection, Instant now) {
    return new Decided(List.of(), null, Outcomes.rejected(command, version, rejection, now));
  }
}
