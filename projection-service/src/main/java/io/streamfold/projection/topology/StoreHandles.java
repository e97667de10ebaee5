package io.streamfold.projection.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of this instance's running active tasks, by store and partition, as their processors
 * hold them: a read goes straight to the store instead of through the interactive-query facade,
 * which looks the store up again among every task of every thread on each {@code get} (a third of a
 * read's CPU when profiled). A processor registers its stores when its task starts running and
 * removes them when the task closes (revoked, suspended, or the instance stopping); a read racing
 * with that closing gets Kafka Streams' own "store is closed" error, answered 503 like any other
 * moment of migration.
 */
public final class StoreHandles {
  private record Key(String store, int partition) {}

  private final Map<Key, ReadOnlyKeyValueStore<String, ?>> stores = new ConcurrentHashMap<>();

  void register(String store, int partition, ReadOnlyKeyValueStore<String, ?> handle) {
    stores.put(new Key(store, partition), handle);
  }

  void remove(String store, int partition, ReadOnlyKeyValueStore<String, ?> handle) {
    stores.remove(new Key(store, partition), handle);
  }

  /** The store of this running active task, or null. */
  @SuppressWarnings("unchecked")
  public <V> ReadOnlyKeyValueStore<String, V> get(String store, int partition) {
    return (ReadOnlyKeyValueStore<String, V>) stores.get(new Key(store, partition));
  }
}
