package io.streamfold.projection.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.ProblemException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * Answers that span every instance (a view's list, its totals): each instance contributes what its
 * active partitions hold through {@code /internal/v1/…}, and says which partitions those are;
 * unless the parts cover every partition exactly once (an instance did not answer, a partition has
 * no active owner, or two instances both claimed one during a rebalance), the answer is 503 rather
 * than a partial or double-counted one.
 */
public final class ScatterGather {
  private final LocalStores stores;
  private final Forwarder forwarder;

  public ScatterGather(LocalStores stores, Forwarder forwarder) {
    this.stores = stores;
    this.forwarder = forwarder;
  }

  /**
   * Every instance's part of {@code store}'s answer ({@code path} on the others), this one's read
   * locally; 503 unless together they cover partitions 0 to {@code partitions} − 1 exactly once.
   */
  <T> List<T> gather(
      Context ctx,
      String path,
      TypeReference<LocalStores.Part<T>> type,
      java.util.function.Supplier<LocalStores.Part<T>> local,
      String store,
      int partitions) {
    requireRunning();
    List<LocalStores.Part<T>> parts = new ArrayList<>();
    for (StreamsMetadata instance : stores.instances(store)) {
      if (instance.hostInfo().equals(stores.self())) {
        parts.add(local.get());
        continue;
      }
      HttpResponse<byte[]> response = forwarder.get(ctx, instance.hostInfo(), path);
      if (response == null || response.statusCode() != 200) {
        throw ProblemException.unavailable(
            "instance-unavailable",
            "Instance " + instance.hostInfo() + " did not answer its part",
            1);
      }
      try {
        parts.add(Json.mapper().readValue(response.body(), type));
      } catch (IOException e) {
        throw new IllegalStateException("Unreadable answer from " + instance.hostInfo(), e);
      }
    }
    requireEveryPartitionOnce(parts, partitions);
    return parts.stream().map(LocalStores.Part::items).toList();
  }

  /** A part is answered only by an instance whose Kafka Streams is RUNNING (not rebalancing). */
  void requireRunning() {
    if (!stores.isRunning()) {
      throw ProblemException.unavailable("not-ready", "Kafka Streams is not running", 1);
    }
  }

  /** Throws a 503 problem unless the parts cover partitions 0 to {@code partitions} − 1 once. */
  static void requireEveryPartitionOnce(List<? extends LocalStores.Part<?>> parts, int partitions) {
    Set<Integer> covered = new HashSet<>();
    for (LocalStores.Part<?> part : parts) {
      for (int partition : part.partitions()) {
        if (!covered.add(partition)) {
          throw ProblemException.unavailable(
              "rebalancing",
              "Partition "
                  + partition
                  + " was answered by two instances (a rebalance is under way)",
              1);
        }
      }
    }
    for (int partition = 0; partition < partitions; partition++) {
      if (!covered.contains(partition)) {
        throw ProblemException.unavailable(
            "rebalancing",
            "Only "
                + covered.size()
                + " of "
                + partitions
                + " partitions were answered (partition "
                + partition
                + " has no active owner right now)",
            1);
      }
    }
  }
}
