package io.streamfold.command.processing;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Builds the command-processor topology of one aggregate type. */
public final class CommandTopology {
  private CommandTopology() {}

  /**
   * @param idempotencyWindow how long outcomes are kept, so a repeated command id within it returns
   *     the first outcome
   */
  public static <C, E, S> Topology build(
      Aggregate<C, E, S> aggregate,
      Topics topics,
      CoreSerdes serdes,
      Clock clock,
      Duration idempotencyWindow) {
    String versions = StoreNames.versions(aggregate.type());
    String outcomes = StoreNames.outcomes(aggregate.type());
    Topology topology = new Topology();
    topology.addSource(
        StoreNames.SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.commands());
    topology.addProcessor(
        StoreNames.PROCESSOR,
        () -> new CommandProcessor<>(aggregate, topics, serdes, clock, idempotencyWindow),
        StoreNames.SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(versions), Serdes.String(), serdes.versions()),
        StoreNames.PROCESSOR);
    topology.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(outcomes, idempotencyWindow, Duration.ofMillis(1), false),
            Serdes.String(),
            serdes.storedOutcomes()),
        StoreNames.PROCESSOR);
    topology.addSink(
        StoreNames.EVENTS_SINK,
        topics.events(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        StoreNames.PROCESSOR);
    topology.addSink(
        StoreNames.RESULTS_SINK,
        topics.results(),
        Serdes.String().serializer(),
        serdes.outcomes().serializer(),
        StoreNames.PROCESSOR);
    topology.addSink(
        StoreNames.DLQ_SINK,
        topics.commandsDlq(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        StoreNames.PROCESSOR);
    return topology;
  }
}
