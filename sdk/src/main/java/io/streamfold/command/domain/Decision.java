package io.streamfold.command.domain;

import java.util.List;

/** What a {@link Decider} answers to a command. */
public sealed interface Decision<E> permits Decision.Accepted, Decision.Rejected {

  static <E> Decision<E> accept(List<E> events) {
    return new Accepted<>(List.copyOf(events));
  }

  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    return new Accepted<>(List.of(events));
  }

  static <E> Decision<E> reject(Rejection rejection) {
    return new Rejected<>(rejection);
  }

  /** The command is accepted; these events are to be appended in order. */
  record Accepted<E>(List<E> events) implements Decision<E> {}

  /** The command is refused; nothing is appended. */
  record Rejected<E>(Rejection rejection) implements Decision<E> {}
}
