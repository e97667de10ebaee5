package io.streamfold.projection.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/** All projections of the event log in one topology. */
public final class ProjectionTopology {
  private ProjectionTopology() {}

  public static Topology build(
      String eventsTopic,
      ProjectionSerdes serdes,
      VersionWaiters waiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> opened =
        AccountProjection.build(builder, eventsTopic, serdes, waiters, counters, handles);
    OwnerIndexProjection.build(builder, opened);
    return builder.build();
  }
}
