package io.streamfold.command.aggregate;

import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Process;

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

  /** What makes this aggregate a process manager, or null when it is not one. */
  default Process<C, E, S> process() {
    return null;
  }

  /**
   * The command a process's message to this aggregate's inbox names ({@link Process.Outgoing}).
   *
   * @throws IllegalArgumentException when the action is unknown or its data invalid: the message is
   *     answered as an invalid command
   */
  default C inboxCommand(String action, java.util.Map<String, String> data) {
    throw new IllegalArgumentException(
        "The " + collection() + " aggregate takes no messages from processes");
  }
}
