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

  private static String switch0(String kind) {
    return kind.equals("INVALID_COMMAND")
        ? "invalid"
        : kind.equals("UNKNOWN") ? "internal_error" : kind.toLowerCase(java.util.Locale.ROOT);
  }

  static Problem of(CommandOutcome outcome) {
    Rejection rejection = outcome.getRejection();
    int status;
    String title;
    switch (rejection.getKind()) {
      case ALREADY_EXISTS:
        status = 409;
        title = "Already exists";
        break;
      case NOT_FOUND:
        status = 404;
        title = "Not found";
        break;
      case VERSION_MISMATCH:
        status = 412;
        title = "Precondition failed";
        break;
      case BUSINESS_RULE:
        status = 422;
        title = "Refused by a business rule";
        break;
      case INVALID_COMMAND:
        status = 400;
        title = "Invalid command";
        break;
      default:
        status = 500;
        title = "Internal error";
    }
    return Problem.of(status, rejection.getCode(), title, rejection.getMessage())
        .with("commandId", outcome.getCommandId())
        .with("aggregateId", outcome.getAggregateId())
        .with("currentVersion", outcome.getVersion());
  }
}
