package io.streamfold.projection.query;

import io.javalin.http.Context;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Strict parsing of query parameters: a bad value is a 400 that names the parameter. */
public final class QueryParams {
  private QueryParams() {}

  public static Long positiveLong(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    if (!value.matches("[1-9][0-9]{0,17}")) {
      throw ProblemException.badRequest(
          "invalid-parameter",
          "Parameter " + name + " must be a positive whole number, not '" + value + "'");
    }
    return Long.parseLong(value);
  }

  public static long nonNegativeLong(Context ctx, String name, long fallback) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    if (!value.matches("0|[1-9][0-9]{0,17}")) {
      throw ProblemException.badRequest(
          "invalid-parameter",
          "Parameter " + name + " must be a whole number ≥ 0, not '" + value + "'");
    }
    return Long.parseLong(value);
  }

  public static int limit(Context ctx, int fallback, int max) {
    Long limit = positiveLong(ctx, "limit");
    if (limit == null) {
      return fallback;
    }
    if (limit > max) {
      throw ProblemException.badRequest(
          "invalid-parameter", "Parameter limit must be at most " + max);
    }
    return limit.intValue();
  }

  /** An ISO-8601 instant ({@code 2026-01-02T03:04:05Z}) or date-time with offset. */
  static Instant instant(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException again) {
        throw ProblemException.badRequest(
            "invalid-parameter",
            "Parameter "
                + name
                + " must be an ISO-8601 date-time with offset, e.g. 2026-01-02T03:04:05Z, not '"
                + value
                + "'");
      }
    }
  }

  /**
   * {@code asOf}, a time within the retained history: null when absent; 400 when not a time or
   * given with {@code minVersion} (a past state cannot wait for a future version); 410 {@code
   * history-not-retained} when older than {@code retention}.
   */
  static Instant asOf(Context ctx, Long minVersion, Clock clock, Duration retention) {
    Instant asOf = instant(ctx, "asOf");
    if (asOf == null) {
      return null;
    }
    if (minVersion != null) {
      throw ProblemException.badRequest("invalid-parameter", "Use minVersion or asOf, not both");
    }
    if (asOf.isBefore(clock.instant().minus(retention))) {
      throw new ProblemException(
          Problem.of(
              410,
              "history-not-retained",
              "History not retained",
              "asOf " + asOf + " is older than the retained history (" + retention + ")"));
    }
    return asOf;
  }

  /** {@code wait} in milliseconds, bounded by {@code max}; {@code fallback} when absent. */
  static Duration wait(Context ctx, Duration fallback, Duration max) {
    Long millis = positiveLong(ctx, "waitMs");
    if (millis == null) {
      return fallback;
    }
    if (millis > max.toMillis()) {
      throw ProblemException.badRequest(
          "invalid-parameter", "Parameter waitMs must be at most " + max.toMillis());
    }
    return Duration.ofMillis(millis);
  }
}
