package io.streamfold.examples.counter;

/** A counter: its commands, events, state and rules, in plain Java. */
public final class Counter {
  private Counter() {}

  public sealed interface Command {}

  public record Increment(long by) implements Command {}

  public record ResetCounter() implements Command {}

  public sealed interface Event {}

  public record Incremented(long by) implements Event {}

  public record Reset() implements Event {}

  public record State(long count) {}
}
