package io.streamfold.projection.topology;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A small key-value store written many times between two commits (a view's total per group, moved
 * by almost every event): its writes are kept as objects and reach the store beneath, its record
 * cache and its changelog once per key when the task commits, instead of being serialized and
 * cached at every event (a tenth of a rebuild's stream thread and a fifth of its allocations,
 * {@code bench/profiles/2026-12-04-rebuild-phases/}).
 *
 * <p>Kafka Streams gives a processor no hook at its commit; a store gets one: before it sends the
 * changelogs and commits the transaction, a task flushes the caches of its stores, this one
 * included ({@code CachedStateStore#flushCache}), which writes what is pending and then flushes the
 * store beneath. So the changelog still holds every value the committed offsets cover, as
 * exactly-once requires. Reads (the processor's and interactive queries', on other threads) see the
 * pending values first. What is pending is dropped with the task's state whenever Kafka Streams
 * drops its caches (an aborted transaction, a task closed dirty), and at every initialization.
 *
 * <p>Meant for stores with few keys: a range or a scan copies the matching entries. Interactive
 * queries of the second version ({@code query}) are answered by the store beneath, without what is
 * pending; the projections read through {@link
 * org.apache.kafka.streams.state.ReadOnlyKeyValueStore}.
 */
final class WriteBehindStore<V> extends WrappedStateStore<KeyValueStore<String, V>, String, V>
    implements KeyValueStore<String, V> {
  /** Key → pending value; an empty value is a pending delete. */
  private final Map<String, Optional<V>> pending = new ConcurrentHashMap<>();

  WriteBehindStore(KeyValueStore<String, V> inner) {
    super(inner);
  }

  /** The store {@code builder} builds, written behind. */
  static <V> StoreBuilder<KeyValueStore<String, V>> of(
      StoreBuilder<KeyValueStore<String, V>> builder) {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
        builder.withCachingEnabled();
        return this;
      }

      @Override
      public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
        builder.withCachingDisabled();
        return this;
      }

      @Override
      public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
        builder.withLoggingEnabled(config);
        return this;
      }

      @Override
      public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
        builder.withLoggingDisabled();
        return this;
      }

      @Override
      public KeyValueStore<String, V> build() {
        return new WriteBehindStore<>(builder.build());
      }

      @Override
      public Map<String, String> logConfig() {
        return builder.logConfig();
      }

      @Override
      public boolean loggingEnabled() {
        return builder.loggingEnabled();
      }

      @Override
      public String name() {
        return builder.name();
      }
    };
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    pending.clear();
    super.init(context, root);
  }

  /** At every commit, before the changelogs are sent: the pending writes go down first. */
  @Override
  public void flushCache() {
    if (!pending.isEmpty()) {
      for (Map.Entry<String, Optional<V>> write : pending.entrySet()) {
        if (write.getValue().isPresent()) {
          wrapped().put(write.getKey(), write.getValue().get());
        } else {
          wrapped().delete(write.getKey());
        }
      }
      // only the stream thread writes, so nothing came in meanwhile; readers now find the same
      // values beneath
      pending.clear();
    }
    super.flushCache();
  }

  @Override
  public void clearCache() {
    pending.clear();
    super.clearCache();
  }

  @Override
  public void close() {
    pending.clear();
    super.close();
  }

  @Override
  public void put(String key, V value) {
    pending.put(key, Optional.ofNullable(value));
  }

  @Override
  public V putIfAbsent(String key, V value) {
    V current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  @Override
  public void putAll(List<KeyValue<String, V>> entries) {
    entries.forEach(entry -> put(entry.key, entry.value));
  }

  @Override
  public V delete(String key) {
    V current = get(key);
    pending.put(key, Optional.empty());
    return current;
  }

  @Override
  public V get(String key) {
    Optional<V> written = pending.get(key);
    return written != null ? written.orElse(null) : wrapped().get(key);
  }

  @Override
  public KeyValueIterator<String, V> range(String from, String to) {
    return merged(from, to, false);
  }

  @Override
  public KeyValueIterator<String, V> reverseRange(String from, String to) {
    return merged(from, to, true);
  }

  @Override
  public KeyValueIterator<String, V> all() {
    return merged(null, null, false);
  }

  @Override
  public KeyValueIterator<String, V> reverseAll() {
    return merged(null, null, true);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries() + pending.size();
  }

  /**
   * The entries between {@code from} and {@code to} (inclusive; null: unbounded), pending ones
   * applied.
   */
  private KeyValueIterator<String, V> merged(String from, String to, boolean reverse) {
    // what is pending first: a commit writing it beneath and clearing it meanwhile loses nothing
    Map<String, Optional<V>> written = new java.util.HashMap<>(pending);
    NavigableMap<String, V> entries = new TreeMap<>();
    try (KeyValueIterator<String, V> beneath =
        from == null && to == null ? wrapped().all() : wrapped().range(from, to)) {
      beneath.forEachRemaining(entry -> entries.put(entry.key, entry.value));
    }
    written.forEach(
        (key, value) -> {
          if ((from == null || key.compareTo(from) >= 0)
              && (to == null || key.compareTo(to) <= 0)) {
            if (value.isPresent()) {
              entries.put(key, value.get());
            } else {
              entries.remove(key);
            }
          }
        });
    Iterator<Map.Entry<String, V>> it =
        (reverse ? entries.descendingMap() : entries).entrySet().iterator();
    return new KeyValueIterator<>() {
      private Map.Entry<String, V> next;

      @Override
      public boolean hasNext() {
        return next != null || it.hasNext();
      }

      @Override
      public KeyValue<String, V> next() {
        Map.Entry<String, V> entry = next != null ? next : it.next();
        next = null;
        return KeyValue.pair(entry.getKey(), entry.getValue());
      }

      @Override
      public String peekNextKey() {
        if (next == null) {
          next = it.next();
        }
        return next.getKey();
      }

      @Override
      public void close() {}
    };
  }
}
