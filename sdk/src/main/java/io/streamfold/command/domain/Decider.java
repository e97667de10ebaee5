package io.streamfold.command.domain;

import java.time.Instant;

/**
 * An aggregate's behaviour, as pure functions: no I/O, no clock or id generation of its own, fast
 * (it runs inside a Kafka transaction).
 *
 * @param <C> commands
 * @param <E> events
 * @param <S> state (the snapshot kept in the version table)
 */
public interface Decider<C, E, S> {

  /** The state of an aggregate that does not exist yet. */
  S initialState();

  /** Whether {@code state} is that of an existing aggregate. */
  boolean exists(S state);

  /** Accepts {@code command} with the events it causes, or rejects it with a typed reason. */
  Decision<E> decide(C command, S state, Instant now);

  /** Applies one event to the state. */
  S evolve(S state, E event, Instant occurredAt);
}
