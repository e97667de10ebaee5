package io.streamfold.examples.counter;

import io.streamfold.command.CommandDomain;
import io.streamfold.examples.counter.avro.CounterEvent;
import io.streamfold.examples.counter.avro.CounterState;
import io.streamfold.projection.plugin.ProjectionDomain;
import io.streamfold.projection.plugin.ViewProjection;
import java.util.List;

/** The counter, plugged into both services (named in META-INF/services). */
public final class CounterDomain implements CommandDomain, ProjectionDomain {
  @Override
  public List<Plugged<?, ?, ?>> aggregates(Context context) {
    return List.of(
        new Plugged<>(
            new CounterAggregate(context.registry(), context.autoRegister()),
            new CounterResource()));
  }

  @Override
  public List<Contract> contracts() {
    return List.of(
        new Contract("counters", CounterEvent.getClassSchema(), CounterState.getClassSchema()));
  }

  @Override
  public List<ViewProjection<?, ?>> views() {
    return List.of(new CounterViews());
  }
}
