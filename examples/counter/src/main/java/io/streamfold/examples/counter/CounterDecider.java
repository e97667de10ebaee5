package io.streamfold.examples.counter;

import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Decision;
import io.streamfold.command.domain.Rejection;
import io.streamfold.examples.counter.Counter.Command;
import io.streamfold.examples.counter.Counter.Event;
import io.streamfold.examples.counter.Counter.State;
import java.time.Instant;

/** A counter starts at zero, counts up by a positive step, and resets to zero unless it is. */
public final class CounterDecider implements Decider<Command, Event, State> {
  @Override
  public State initialState() {
    return new State(0);
  }

  @Override
  public boolean exists(State state) {
    return true;
  }

  @Override
  public Decision<Event> decide(Command command, State state, Instant now) {
    if (command instanceof Counter.Increment increment) {
      return increment.by() > 0
          ? Decision.accept(new Counter.Incremented(increment.by()))
          : Decision.reject(Rejection.invalid("invalid-step", "Count up by 1 or more"));
    } else if (command instanceof Counter.ResetCounter) {
      return state.count() == 0
          ? Decision.reject(Rejection.businessRule("already-zero", "The counter is at zero"))
          : Decision.accept(new Counter.Reset());
    }
    throw new IllegalArgumentException("Unknown command " + command);
  }

  @Override
  public State evolve(State state, Event event, Instant occurredAt) {
    if (event instanceof Counter.Incremented incremented) {
      return new State(state.count() + incremented.by());
    } else if (event instanceof Counter.Reset) {
      return new State(0);
    }
    throw new IllegalArgumentException("Unknown event " + event);
  }
}
