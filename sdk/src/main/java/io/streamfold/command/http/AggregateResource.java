package io.streamfold.command.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.domain.Rejection;
import java.util.List;
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

  /**
   * Other aggregates {@code command} names, looked up before it is written and given to {@link
   * #check}: e.g. a transfer's two accounts. Empty (the default): nothing is looked up.
   */
  default List<Reference> references(C command) {
    return List.of();
  }

  /**
   * Refuses {@code command} at the request, before anything is written, by what its {@link
   * #references} are now; null lets it go on to be decided. {@code current} is the command's own
   * aggregate's committed state (null before it exists: return null for a command the decider
   * refuses on it, such as a creation of an aggregate that exists, so that its answer stays the
   * decider's). {@code states} maps each reference to its committed state view, as {@code GET
   * /api/v1/<collection>/{id}} answers it (the {@code state} member), or to null for an aggregate
   * that does not exist. Refuse only on what cannot change afterwards (that an aggregate exists, a
   * currency fixed when it was opened): the command is decided later, and what may change by then
   * is for its process to handle. Not called when a reference cannot be looked up (its owner
   * unreachable, the caller not allowed to read it), nor for a repeated {@code Idempotency-Key}
   * whose first outcome is remembered: the command goes on and is decided as without the check.
   */
  default Rejection check(C command, S current, Map<Reference, JsonNode> states) {
    return null;
  }

  /** An aggregate a command names: its collection (e.g. {@code accounts}) and id. */
  record Reference(String collection, String id) {}

  /** Parses one action's body; throws a 400 {@code ProblemException} naming the bad field. */
  @FunctionalInterface
  interface CommandParser<C> {
    C parse(JsonBody body, String aggregateId);
  }
}
