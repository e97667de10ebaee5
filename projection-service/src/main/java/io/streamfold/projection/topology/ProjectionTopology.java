package io.streamfold.projection.topology;

import io.streamfold.projection.view.Projected;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/** All projections of the event log in one topology. */
public final class ProjectionTopology {
  private ProjectionTopology() {}

  public static Topology build(
      String eventsTopic,
      ProjectionSerdes serdes,
      Duration historyRetention,
      VersionWaiters waiters,
      ProjectionCounters counters) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, Projected.Applied> applied =
        AccountProjection.build(builder, eventsTopic, serdes, historyRetention, waiters, counters);
    OwnerIndexProjection.build(builder, applied);
    LedgerStatsProjection.build(builder, applied, serdes);
    return builder.build();
  }
}
