package io.streamfold.projection.query;

import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of this instance's stores, by partition. Throws {@link StoreUnavailableException} when a
 * store is migrating or restoring, so callers answer 503 rather than an empty result.
 */
public final class LocalStores {
  private final KafkaStreams streams;
  private final HostInfo self;
  private final String eventsTopic;

  public LocalStores(KafkaStreams streams, HostInfo self, String eventsTopic) {
    this.streams = streams;
    this.self = self;
    this.eventsTopic = eventsTopic;
  }

  public HostInfo self() {
    return self;
  }

  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Where {@code key} of {@code store} lives. */
  public Location locate(String store, String key) {
    if (!isRunning()) {
      return new Location.Unavailable("Kafka Streams is " + streams.state());
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
      return new Location.Unavailable("The owner of this key is not known yet");
    }
    if (self.equals(metadata.activeHost())) {
      return new Location.Here(metadata.partition());
    }
    return new Location.Elsewhere(
        metadata.partition(), metadata.activeHost(), metadata.standbyHosts());
  }

  /** How far this instance's standby copy of a partition trails, if it has one. */
  public OptionalLong standbyLag(String store, int partition) {
    Map<String, Map<Integer, LagInfo>> lags = streams.allLocalStorePartitionLags();
    LagInfo lag = lags.getOrDefault(store, Map.of()).get(partition);
    return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.offsetLag());
  }

  public AccountSummary summary(String id, int partition, boolean stale) {
    return this.<AccountSummary>keyValue(StoreNames.SUMMARIES, partition, stale).get(id);
  }

  /**
   * The summary as it was at {@code asOf} (business time), or null if the account did not exist
   * then ({@link History#asOf}).
   */
  public AccountSummary summaryAsOf(String id, int partition, Instant asOf) {
    AccountSummary latest = summary(id, partition, false);
    return latest == null
        ? null
        : History.asOf(keyValue(StoreNames.HISTORY, partition, false), latest, asOf);
  }

  /** Up to {@code limit} transactions of the account with a version above {@code after}. */
  public List<Transaction> transactions(String id, int partition, long after, int limit) {
    return History.transactions(keyValue(StoreNames.HISTORY, partition, false), id, after, limit);
  }

  /** Up to {@code limit} ids of the owner's accounts after {@code after} (if given), in order. */
  public List<String> ownerAccounts(String owner, int partition, String after, int limit) {
    List<String> ids = new ArrayList<>();
    ReadOnlyKeyValueStore<String, String> store =
        keyValue(StoreNames.OWNER_INDEX, partition, false);
    String prefix = owner + '\u0000';
    try (KeyValueIterator<String, String> it =
        after == null
            ? store.prefixScan(prefix, Serdes.String().serializer())
            : store.range(StoreNames.ownerKey(owner, after) + '\u0000', prefix + '\uffff')) {
      while (it.hasNext() && ids.size() < limit) {
        var entry = it.next();
        if (entry.key.startsWith(prefix)) {
          ids.add(entry.value);
        }
      }
    }
    return ids;
  }

  /** The partitions of {@code topic} this instance is active for. */
  public Set<Integer> activePartitions(String store, String topic) {
    return streams.streamsMetadataForStore(store).stream()
        .filter(m -> m.hostInfo().equals(self))
        .flatMap(m -> m.topicPartitions().stream())
        .filter(tp -> tp.topic().equals(topic) || tp.topic().endsWith("-" + topic))
        .map(tp -> tp.partition())
        .collect(java.util.stream.Collectors.toSet());
  }

  /** Every instance serving the store, active partitions only. */
  public List<StreamsMetadata> instances(String store) {
    return new ArrayList<>(streams.streamsMetadataForStore(store));
  }

  /**
   * A page of summaries of this instance's active partitions: ids above {@code after}, in id order.
   */
  public Part<List<AccountSummary>> page(String status, String after, int limit) {
    Set<Integer> partitions = activePartitions(StoreNames.SUMMARIES, eventsTopic);
    TreeMap<String, AccountSummary> merged = new TreeMap<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, AccountSummary> store =
          keyValue(StoreNames.SUMMARIES, partition, false);
      int taken = 0;
      try (KeyValueIterator<String, AccountSummary> it =
          after == null ? store.all() : store.range(after, null)) {
        while (it.hasNext() && taken < limit) {
          var kv = it.next();
          if ((after == null || kv.key.compareTo(after) > 0)
              && (status == null || status.equals(kv.value.status()))) {
            merged.put(kv.key, kv.value);
            taken++;
          }
        }
      }
    }
    return new Part<>(
        partitions,
        merged.values().stream()
            .sorted(Comparator.comparing(AccountSummary::accountId))
            .limit(limit)
            .toList());
  }

  /** The ledger statistics of each of this instance's active partitions of the event log. */
  public Part<List<CurrencyStats>> stats() {
    Set<Integer> partitions = activePartitions(StoreNames.STATS, eventsTopic);
    List<CurrencyStats> all = new ArrayList<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, CurrencyStats> store =
          keyValue(StoreNames.STATS, partition, false);
      try (KeyValueIterator<String, CurrencyStats> it = store.all()) {
        it.forEachRemaining(kv -> all.add(kv.value));
      }
    }
    return new Part<>(partitions, all);
  }

  /**
   * One instance's part of an answer that spans every instance, and the partitions of the event log
   * it covers.
   */
  public record Part<T>(Set<Integer> partitions, T items) {}

  private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name, int partition, boolean stale) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
            .withPartition(partition);
    try {
      return streams.store(stale ? parameters.enableStaleStores() : parameters);
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException(e.getMessage());
    }
  }

  /** A store cannot be read now (migrating, restoring, not yet running). */
  public static final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
