package io.streamfold.command.aggregate;

import io.streamfold.command.domain.Decider;

/**
 * One aggregate type, as the mechanism sees it.
 *
 * @param <C> its commands
 * @param <E> its events
 * @param <S> its state
 */
public interface Aggregate<C, E, S> {

  /**
   * The singular type name, e.g. {@code account}: names stores and fills the events' aggregate
   * type.
   */
  String type();

  /** The plural, e.g. {@code accounts}: names topics and the HTTP collection. */
  String collection();

  Decider<C, E, S> decider();

  /** How commands, events and state snapshots are written to and read from Kafka. */
  AggregateCodec<C, E, S> codec();
}
