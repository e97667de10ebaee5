package io.streamfold.command.http;

import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.Rejection;
import io.streamfold.service.http.Problem;

/** A rejected outcome as a problem: the rejection kind decides the status. */
final class OutcomeProblems {
  private OutcomeProblems() {}

  /** The outcome's kind as a metric tag: accepted, or the rejection kind in lower case. */
  static String kind(CommandOutcome outcome) {
    if (outcome.getRejection() == null) {
      return "accepted";
    }
    return switch0(outcome.getRejection().getKind().name());
  }

  /** A rejection at the request as a metric tag, as {@link #kind(CommandOutcome)} names it. */
  static String kind(io.streamfold.command.domain.Rejection rejection) {
    return switch0(rejection.kind().name());
  }

  private static String switch0(String kind) {
    return kind.equals("INVALID_COMMAND")
        ? "invalid"
        : kind.equals("UNKNOWN") ? "internal_error" : kind.toLowerCase(java.util.Locale.ROOT);
  }

  static Problem of(CommandOutcome outcome) {
    Rejection rejection = outcome.getRejection();
    return problem(rejection.getKind().name(), rejection.getCode(), rejection.getMessage())
        .with("commandId", outcome.getCommandId())
        .with("aggregateId", outcome.getAggregateId())
        .with("currentVersion", outcome.getVersion());
  }

  /** A command refused at the request ({@code AggregateResource#check}): nothing was written. */
  static Problem of(
      io.streamfold.command.domain.Rejection rejection,
      io.streamfold.command.aggregate.CommandEnvelope<?> command) {
    return problem(rejection.kind().name(), rejection.code(), rejection.message())
        .with("commandId", command.commandId())
        .with("aggregateId", command.aggregateId());
  }

  private static Problem problem(String kind, String code, String message) {
    return switch (kind) {
      case "ALREADY_EXISTS" -> Problem.of(409, code, "Already exists", message);
      case "NOT_FOUND" -> Problem.of(404, code, "Not found", message);
      case "VERSION_MISMATCH" -> Problem.of(412, code, "Precondition failed", message);
      case "BUSINESS_RULE" -> Problem.of(422, code, "Refused by a business rule", message);
      case "INVALID_COMMAND" -> Problem.of(400, code, "Invalid command", message);
      default -> Problem.of(500, code, "Internal error", message);
    };
  }
}
