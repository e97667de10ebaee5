package io.streamfold.examples.counter;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.domain.Decider;
import io.streamfold.examples.counter.Counter.Command;
import io.streamfold.examples.counter.Counter.Event;
import io.streamfold.examples.counter.Counter.State;
import io.streamfold.examples.counter.avro.CounterEvent;
import io.streamfold.examples.counter.avro.CounterState;
import io.streamfold.examples.counter.avro.Incremented;
import io.streamfold.examples.counter.avro.Reset;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.serde.SubjectNameStrategy;

/** The counter plugged into the engine: its rules and its Avro contracts. */
public final class CounterAggregate implements Aggregate<Command, Event, State> {
  private final AvroSerde<CounterEvent> events;
  private final AvroSerde<CounterState> states;

  public CounterAggregate(SchemaRegistry registry, boolean autoRegister) {
    events = AvroSerde.of(CounterEvent.class, registry, autoRegister);
    states =
        AvroSerde.of(CounterState.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister);
  }

  @Override
  public String type() {
    return "counter";
  }

  @Override
  public String collection() {
    return "counters";
  }

  @Override
  public Decider<Command, Event, State> decider() {
    return new CounterDecider();
  }

  @Override
  public AggregateCodec<Command, Event, State> codec() {
    return new AggregateCodec<>() {
      @Override
      public byte[] encodeEvent(String topic, EventEnvelope<Event> e) {
        Object payload =
            e.event() instanceof Counter.Incremented i ? new Incremented(i.by()) : new Reset();
        return events.encode(
            topic,
            new CounterEvent(
                e.eventId(),
                e.aggregateId(),
                e.version(),
                e.occurredAt(),
                e.commandId(),
                e.correlationId(),
                payload));
      }

      @Override
      public EventEnvelope<Event> decodeEvent(byte[] data) {
        CounterEvent e = events.decode(data);
        Event event =
            e.getPayload() instanceof Incremented i
                ? new Counter.Incremented(i.getBy())
                : new Counter.Reset();
        return new EventEnvelope<>(
            e.getEventId(),
            e.getCounterId(),
            e.getVersion(),
            e.getOccurredAt(),
            e.getCommandId(),
            e.getCorrelationId(),
            null,
            event);
      }

      @Override
      public byte[] encodeState(State state) {
        return states.encode("", new CounterState(state.count()));
      }

      @Override
      public State decodeState(byte[] data) {
        return new State(states.decode(data).getCount());
      }
    };
  }
}
