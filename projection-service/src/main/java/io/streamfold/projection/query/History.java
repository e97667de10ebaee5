package io.streamfold.projection.query;

import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.HistoryEntry;
import io.streamfold.projection.view.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of a history store (one entry per version of an aggregate): an account's transactions, its
 * summary at a past time, and any history's entries by version or at a past time.
 */
public final class History {
  private History() {}

  /**
   * The summary as it was at {@code asOf} (business time), or null if the account did not exist
   * then: the state right after the last version whose time is not after {@code asOf}, so always a
   * state the account really had. An entry's time never decreases along the versions ({@link
   * HistoryEntry#lastActivityAt()}), so this is a binary search over them: a few seeks, whatever
   * the length of the history.
   *
   * @param latest the account's latest summary
   */
  public static AccountSummary asOf(
      ReadOnlyKeyValueStore<String, HistoryEntry> store, AccountSummary latest, Instant asOf) {
    if (latest.lastActivityAt() == null) {
      return null; // nothing was ever applied
    }
    if (!latest.lastActivityAt().isAfter(asOf)) {
      return latest;
    }
    HistoryEntry found =
        lastAtOrBefore(
            store,
            latest.accountId(),
            latest.version(),
            asOf,
            HistoryEntry::version,
            HistoryEntry::lastActivityAt);
    return found == null ? null : found.asSummary(latest);
  }

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

  /** Up to {@code limit} transactions of the account with a version above {@code after}. */
  public static List<Transaction> transactions(
      ReadOnlyKeyValueStore<String, HistoryEntry> store, String id, long after, int limit) {
    return entries(store, id, after + 1, limit).stream().map(HistoryEntry::transaction).toList();
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
