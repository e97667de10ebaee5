package io.streamfold.command.writer;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.domain.Rejection;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.core.RejectionKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Builds the outcome records a writer answers with and remembers. */
final class Outcomes {
  private Outcomes() {}

  static CommandOutcome accepted(
      CommandEnvelope<?> command,
      long version,
      List<String> eventIds,
      List<byte[]> events,
      Instant now) {
    return accepted(command.commandId(), command.aggregateId(), version, eventIds, events, now);
  }

  static CommandOutcome accepted(
      String commandId,
      String aggregateId,
      long version,
      List<String> eventIds,
      List<byte[]> events,
      Instant now) {
    return base(commandId, aggregateId, now)
        .setStatus(OutcomeStatus.ACCEPTED)
        .setVersion(version)
        .setEventIds(eventIds)
        .setEvents(events.stream().map(ByteBuffer::wrap).toList())
        .setRejection(null)
        .build();
  }

  static CommandOutcome rejected(
      CommandEnvelope<?> command, long currentVersion, Rejection rejection, Instant now) {
    return rejection(
        command,
        currentVersion,
        RejectionKind.valueOf(rejection.kind().name()),
        rejection.code(),
        rejection.message(),
        now);
  }

  static CommandOutcome internalError(
      CommandEnvelope<?> command, long currentVersion, Instant now) {
    return rejection(
        command,
        currentVersion,
        RejectionKind.UNKNOWN,
        "internal-error",
        "The command could not be decided; nothing was written, and the error is logged",
        now);
  }

  /** The client's idempotency key came back with another request than the one it first named. */
  static CommandOutcome keyReused(CommandEnvelope<?> command, long currentVersion, Instant now) {
    return rejection(
        command,
        currentVersion,
        RejectionKind.BUSINESS_RULE,
        "idempotency-key-reused",
        "This Idempotency-Key was already used for a different request on this aggregate; use a"
            + " new key for a new request",
        now);
  }

  /**
   * Whether an outcome is final, so it is remembered under the client's key: accepted, not found,
   * already exists, refused by a business rule. A version mismatch is not (reload, then retry with
   * the same key), nor an invalid command or an internal error.
   */
  static boolean isFinal(CommandOutcome outcome) {
    if (outcome.getStatus() == OutcomeStatus.ACCEPTED) {
      return true;
    }
    RejectionKind kind = outcome.getRejection().getKind();
    return kind == RejectionKind.NOT_FOUND
        || kind == RejectionKind.ALREADY_EXISTS
        || kind == RejectionKind.BUSINESS_RULE;
  }

  private static CommandOutcome rejection(
      CommandEnvelope<?> command,
      long currentVersion,
      RejectionKind kind,
      String code,
      String message,
      Instant now) {
    return base(command.commandId(), command.aggregateId(), now)
        .setStatus(OutcomeStatus.REJECTED)
        .setVersion(currentVersion)
        .setEventIds(List.of())
        .setEvents(List.of())
        .setRejection(
            io.streamfold.schemas.core.Rejection.newBuilder()
                .setKind(kind)
                .setCode(code)
                .setMessage(message)
                .build())
        .build();
  }

  private static CommandOutcome.Builder base(String commandId, String aggregateId, Instant now) {
    return CommandOutcome.newBuilder()
        .setCommandId(commandId)
        .setAggregateId(aggregateId)
        .setProcessedAt(now);
  }
}
