package io.streamfold.projection.query;

import io.streamfold.projection.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of a view's history store (one entry per version of an aggregate): its entries by version,
 * or at a past time.
 */
public final class History {
  private History() {}

  /**
   * The entry of an aggregate's history store (keyed by {@link StoreNames#historyKey}) of the last
   * version up to {@code latest} whose time is not after {@code asOf}, or null when even the first
   * is later. Times never decrease along the versions, so this is a binary search: a few seeks,
   * whatever the length of the history, and versions missing from the store (gaps) are stepped
   * over.
   */
  public static <T> T lastAtOrBefore(
      ReadOnlyKeyValueStore<String, T> store,
      String id,
      long latest,
      Instant asOf,
      ToLongFunction<T> version,
      Function<T, Instant> time) {
    T found = null;
    long low = 1;
    long high = latest;
    while (low <= high) {
      long middle = low + (high - low) / 2;
      T first = firstEntry(store, id, middle, high);
      if (first == null || time.apply(first).isAfter(asOf)) {
        high = middle - 1;
      } else {
        found = first;
        low = version.applyAsLong(first) + 1;
      }
    }
    return found;
  }

  /**
   * Up to {@code limit} entries of an aggregate's history store (keyed by {@link
   * StoreNames#historyKey}) from version {@code from} on, in version order.
   */
  public static <T> List<T> entries(
      ReadOnlyKeyValueStore<String, T> store, String id, long from, int limit) {
    List<T> page = new ArrayList<>();
    try (KeyValueIterator<String, T> it =
        store.range(StoreNames.historyKey(id, from), StoreNames.historyKey(id, Long.MAX_VALUE))) {
      while (it.hasNext() && page.size() < limit) {
        page.add(it.next().value);
      }
    }
    return page;
  }

  /** The entry of the lowest version from {@code from} to {@code to}, if there is one. */
  private static <T> T firstEntry(
      ReadOnlyKeyValueStore<String, T> store, String id, long from, long to) {
    try (KeyValueIterator<String, T> it =
        store.range(StoreNames.historyKey(id, from), StoreNames.historyKey(id, to))) {
      return it.hasNext() ? it.next().value : null;
    }
  }
}
