package io.streamfold.projection.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store one processor alone writes, with the values it read or wrote last kept as objects (most
 * recently used last): a view and its totals are read back for each event, and decoding them again
 * from the record cache's bytes was about a tenth of a rebuild's stream thread (measured, {@code
 * bench/profiles/2026-12-03-recent-values/}). Written through (the store first), so the two agree;
 * a new one at every (re)initialization of the task, as after a restore. The values must not be
 * changed once put (a projector's views are immutable: it returns a new one).
 */
final class Recent<V> {
  /** Views a task keeps as objects: at a few hundred bytes a view, a few MiB per task. */
  static final int VIEWS = 10_000;

  /** Groups of a total (e.g. currencies) a task keeps as objects. */
  static final int GROUPS = 256;

  final KeyValueStore<String, V> store;
  private final Map<String, V> values;

  Recent(KeyValueStore<String, V> store, int capacity) {
    this.store = store;
    this.values = leastRecentlyUsedOut(capacity);
  }

  /** A map that holds at most {@code capacity} entries, dropping the least recently used. */
  static <T> Map<String, T> leastRecentlyUsedOut(int capacity) {
    return new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
        return size() > capacity;
      }
    };
  }

  V get(String key) {
    V value = values.get(key);
    if (value == null) {
      value = store.get(key);
      if (value != null) {
        values.put(key, value);
      }
    }
    return value;
  }

  void put(String key, V value) {
    store.put(key, value);
    values.put(key, value);
  }

  void delete(String key) {
    store.delete(key);
    values.remove(key);
  }
}
