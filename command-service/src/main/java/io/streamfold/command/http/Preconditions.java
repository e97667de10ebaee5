package io.streamfold.command.http;

import io.javalin.http.Context;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and validates the request's identity and precondition headers and the aggregate id. */
final class Preconditions {
  private static final Pattern STRONG_ETAG = Pattern.compile("\"(0|[1-9][0-9]{0,17})\"");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

  private Preconditions() {}

  static String aggregateId(Context ctx) {
    return Ids.aggregateId(ctx.pathParam("id"));
  }

  /**
   * {@code If-Match: "N"} exact, {@code If-Match: *} must exist, {@code If-None-Match: *} must not.
   */
  static ExpectedVersion expectedVersion(Context ctx) {
    String ifMatch = ctx.header("If-Match");
    String ifNoneMatch = ctx.header("If-None-Match");
    if (ifMatch != null && ifNoneMatch != null) {
      throw ProblemException.badRequest(
          "invalid-precondition", "Send If-Match or If-None-Match, not both");
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw ProblemException.badRequest("invalid-precondition", "If-None-Match supports only *");
      }
      return ExpectedVersion.MUST_NOT_EXIST;
    }
    if (ifMatch == null) {
      return ExpectedVersion.ANY;
    }
    String value = ifMatch.trim();
    if (value.equals("*")) {
      return ExpectedVersion.MUST_EXIST;
    }
    Matcher strong = STRONG_ETAG.matcher(value);
    if (!strong.matches()) {
      throw ProblemException.badRequest(
          "invalid-precondition",
          "If-Match must be one strong entity tag holding a version, such as \"3\" (weak tags and lists are not supported)");
    }
    return ExpectedVersion.exactly(Long.parseLong(strong.group(1)));
  }

  /** The {@code Idempotency-Key}, or a new random id when the client sent none. */
  static String commandId(Context ctx) {
    String key = ctx.header("Idempotency-Key");
    if (key == null) {
      return UUID.randomUUID().toString();
    }
    if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw ProblemException.badRequest(
          "invalid-idempotency-key", "Idempotency-Key must be 1 to 128 visible ASCII characters");
    }
    return key;
  }

  static String correlationId(Context ctx, String commandId) {
    String given = ctx.header("X-Correlation-Id");
    return given != null && IDEMPOTENCY_KEY.matcher(given).matches() ? given : commandId;
  }

  static String etag(long version) {
    return "\"" + version + "\"";
  }
}
