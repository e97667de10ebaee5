package io.streamfold.projection.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * All projections of the event log in one topology. They read the event log and its replay topic
 * ({@link #replayTopic}): dead-lettered events put back, after their cause was fixed, for the
 * projections that missed them, without writing them to the event log a second time.
 */
public final class ProjectionTopology {
  private ProjectionTopology() {}

  /**
   * The replay topic of an event log: co-partitioned with it (same partitions, same keys), read by
   * the same tasks, so a replayed event reaches the task that holds its account.
   */
  public static String replayTopic(String eventsTopic) {
    return eventsTopic + ".replay";
  }

  /**
   * @param transfersTopic the money transfers' event log, projected into their views (waited for by
   *     {@code transferWaiters})
   */
  public static Topology build(
      String eventsTopic,
      String transfersTopic,
      ProjectionSerdes serdes,
      VersionWaiters waiters,
      VersionWaiters transferWaiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> opened =
        AccountProjection.build(builder, eventsTopic, serdes, waiters, counters, handles);
    OwnerIndexProjection.build(builder, opened);
    TransferProjection.build(builder, transfersTopic, serdes, transferWaiters, counters, handles);
    return builder.build();
  }
}
