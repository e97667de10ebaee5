package io.streamfold.examples.counter;

import io.streamfold.command.http.AggregateResource;
import io.streamfold.examples.counter.Counter.Command;
import io.streamfold.examples.counter.Counter.Event;
import io.streamfold.examples.counter.Counter.State;
import java.util.Map;

/** {@code POST /api/v1/counters/{id}/increment {"by": 2}} and {@code …/reset}. */
public final class CounterResource implements AggregateResource<Command, Event, State> {
  @Override
  public Map<String, CommandParser<Command>> actions() {
    return Map.of(
        "increment", (body, id) -> new Counter.Increment(body.integer("by", 1, 1_000_000)),
        "reset", (body, id) -> new Counter.ResetCounter());
  }

  @Override
  public boolean creates(Command command) {
    return false;
  }

  @Override
  public String eventType(Event event) {
    return event.getClass().getSimpleName();
  }

  @Override
  public Map<String, Object> eventData(Event event) {
    return event instanceof Counter.Incremented i ? Map.of("by", i.by()) : Map.of();
  }

  @Override
  public Map<String, Object> stateView(State state) {
    return Map.of("count", state.count());
  }
}
