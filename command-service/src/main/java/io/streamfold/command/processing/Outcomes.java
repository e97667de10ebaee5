package io.streamfold.command.processing;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.domain.Rejection;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.core.RejectionKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Builds the outcome records sent to the results topic. */
final class Outcomes {
  private Outcomes() {}

  static CommandOutcome accepted(
      CommandEnvelope<?> command,
      long version,
      List<String> eventIds,
      List<byte[]> events,
      Instant now) {
    return base(command, now)
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
        "The command could not be processed; it was dead-lettered for an operator",
        now);
  }

  private static CommandOutcome rejection(
      CommandEnvelope<?> command,
      long currentVersion,
      RejectionKind kind,
      String code,
      String message,
      Instant now) {
    return base(command, now)
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

  private static CommandOutcome.Builder base(CommandEnvelope<?> command, Instant now) {
    return CommandOutcome.newBuilder()
        .setCommandId(command.commandId())
        .setAggregateId(command.aggregateId())
        .setProcessedAt(now);
  }
}
