package io.streamfold.command.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What an aggregate adds to the HTTP API: its command actions (URL segment to body parser) and the
 * JSON views of its events and state.
 */
public interface AggregateResource<C, E, S> {

  /** Action name (the last URL segment, e.g. {@code deposit}) to the parser of its JSON body. */
  Map<String, CommandParser<C>> actions();

  /** Whether an accepted {@code command} created the aggregate (answered 201). */
  boolean creates(C command);

  /**
   * Whether an accepted {@code command} starts or advances a process that goes on after the answer
   * (answered 202 with the aggregate's {@code Location} to follow it).
   */
  default boolean continues(C command) {
    return false;
  }

  String eventType(E event);

  Map<String, Object> eventData(E event);

  Map<String, Object> stateView(S state);

  /**
   * The body as a request's fingerprint sees it ({@code Idempotency-Key}): by default the body
   * itself; personal values may be replaced by keyed digests.
   */
  default JsonNode fingerprinted(String action, String aggregateId, JsonNode body) {
    return body;
  }

  /** Parses one action's body; throws a 400 {@code ProblemException} naming the bad field. */
  @FunctionalInterface
  interface CommandParser<C> {
    C parse(JsonBody body, String aggregateId);
  }
}
