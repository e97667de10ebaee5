package io.streamfold.projection.topology;

import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * All projections of the event log in one topology. They read the event log and its replay topic
 * ({@link #replayTopic}): dead-lettered events put back, after their cause was fixed, for the
 * projections that missed them, without writing them to the event log a second time.
 */
public final class ProjectionTopology {
  private ProjectionTopology() {}

  /**
   * The replay topic of an event log: co-partitioned with it (same partitions, same keys), read by
   * the same tasks, so a replayed event reaches the task that holds its aggregate's view.
   */
  public static String replayTopic(String eventsTopic) {
    return eventsTopic + ".replay";
  }

  /**
   * @param views the plugged-in view projections ({@link ViewProjections}), each reading {@code
   *     topics.apply(collection)} and waited for by {@code viewWaiters.get(store)}
   */
  public static Topology build(
      List<ViewProjection<?, ?>> views,
      Function<String, String> topics,
      SchemaRegistry registry,
      Map<String, VersionWaiters> viewWaiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    StreamsBuilder builder = new StreamsBuilder();
    ViewProjections.build(builder, views, topics, registry, viewWaiters, counters, handles);
    return builder.build();
  }
}
