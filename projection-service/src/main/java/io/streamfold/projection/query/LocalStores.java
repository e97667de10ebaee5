package io.streamfold.projection.query;

import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.topology.GroupTotal;
import io.streamfold.projection.topology.StoreHandles;
import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.topology.ViewVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
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
 *
 * <p>A view's stores are keyed like its events topic ({@link #keyedLike}): where each partition of
 * that topic is served (active and standby instances) is worked out once per rebalance, not per
 * request ({@link #forgetPlacements()} is called on every state change of Kafka Streams), and a
 * key's partition is the default partitioner's (murmur2 of the key), as the writers place events.
 * Other stores (the indexes, keyed by their repartition topics) are located through Kafka Streams'
 * metadata. Reads of this instance's active partitions go to the stores its processors hold ({@link
 * StoreHandles}).
 */
public final class LocalStores {
  private final KafkaStreams streams;
  private final HostInfo self;
  private final StoreHandles handles;
  private final Map<String, Topic> keyedLike = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Placement[]> placements =
      new java.util.concurrent.ConcurrentHashMap<>();

  public LocalStores(KafkaStreams streams, HostInfo self, StoreHandles handles) {
    this.streams = streams;
    this.self = self;
    this.handles = handles;
  }

  /** A topic the stores of a view are keyed like, and its partition count. */
  private record Topic(String name, int partitions) {}

  /**
   * Says that {@code store} is keyed like {@code topic} (its {@code partitions} partitions): a
   * key's partition of the store is the writers' partition of the key in the topic.
   */
  public void keyedLike(String store, String topic, int partitions) {
    keyedLike.put(store, new Topic(topic, partitions));
  }

  /** Where one partition of a topic is served. */
  private record Placement(HostInfo active, Set<HostInfo> standbys) {}

  /** The placements are to be worked out again (a rebalance started or ended). */
  public void forgetPlacements() {
    placements.clear();
  }

  /**
   * The placements of the partitions of {@code topic}, or null while some partition has no active
   * instance.
   */
  private Placement[] placements(Topic topic) {
    Placement[] known = placements.get(topic.name());
    if (known != null) {
      return known;
    }
    String eventsTopic = topic.name();
    int partitions = topic.partitions();
    HostInfo[] active = new HostInfo[partitions];
    List<List<HostInfo>> standbys = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      standbys.add(new ArrayList<>());
    }
    for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
      for (var tp : instance.topicPartitions()) {
        if (tp.topic().equals(eventsTopic) && tp.partition() < partitions) {
          active[tp.partition()] = instance.hostInfo();
        }
      }
      for (var tp : instance.standbyTopicPartitions()) {
        if (tp.topic().equals(eventsTopic) && tp.partition() < partitions) {
          standbys.get(tp.partition()).add(instance.hostInfo());
        }
      }
    }
    Placement[] built = new Placement[partitions];
    for (int p = 0; p < partitions; p++) {
      if (active[p] == null) {
        return null; // not cached: asked again until every partition has an owner
      }
      built[p] = new Placement(active[p], Set.copyOf(standbys.get(p)));
    }
    if (isRunning()) {
      placements.put(eventsTopic, built);
    }
    return built;
  }

  /** The partition of a topic of {@code partitions} that holds {@code key} (the writers'). */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
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
    Topic topic = keyedLike.get(store);
    if (topic != null) {
      Placement[] known = placements(topic);
      if (known == null) {
        return new Location.Unavailable("The owner of this key is not known yet");
      }
      int partition = partitionOf(key, topic.partitions());
      Placement placement = known[partition];
      return self.equals(placement.active())
          ? new Location.Here(partition)
          : new Location.Elsewhere(partition, placement.active(), placement.standbys());
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

  /** A plugged-in view of {@code id}, or null. */
  public <V> Versioned<V> view(String store, String id, int partition) {
    return view(store, id, partition, false);
  }

  /** A plugged-in view of {@code id}, or null; from a standby copy when {@code stale}. */
  public <V> Versioned<V> view(String store, String id, int partition, boolean stale) {
    return this.<Versioned<V>>keyValue(store, partition, stale).get(id);
  }

  /**
   * A plugged-in view of {@code id} as it was at {@code asOf} (business time): the entry of {@code
   * historyStore} of the last version not after it, or null if the aggregate had no version then.
   */
  public <V> ViewVersion<V> viewAsOf(
      String store, String historyStore, String id, int partition, Instant asOf) {
    Versioned<V> latest = view(store, id, partition);
    return latest == null
        ? null
        : History.lastAtOrBefore(
            this.<ViewVersion<V>>keyValue(historyStore, partition, false),
            id,
            latest.version(),
            asOf,
            ViewVersion::version,
            ViewVersion::time);
  }

  /**
   * A plugged-in view's history ({@code historyStore}) of {@code id} from version {@code from} on,
   * at most {@code limit} entries, in version order.
   */
  public <V> List<ViewVersion<V>> viewHistory(
      String historyStore, String id, int partition, long from, int limit) {
    return History.entries(
        this.<ViewVersion<V>>keyValue(historyStore, partition, false), id, from, limit);
  }

  /**
   * Up to {@code limit} ids under {@code key} in the index {@code store} ({@code <key>\0<id> →
   * id}), after {@code after} (if given), in order.
   */
  public List<String> indexed(String store, String key, int partition, String after, int limit) {
    List<String> ids = new ArrayList<>();
    ReadOnlyKeyValueStore<String, String> index = keyValue(store, partition, false);
    String prefix = key + '\u0000';
    try (KeyValueIterator<String, String> it =
        after == null
            ? index.prefixScan(prefix, Serdes.String().serializer())
            : index.range(StoreNames.indexKey(key, after) + '\u0000', prefix + '\uffff')) {
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
   * A page of {@code store} over this instance's active partitions of {@code topic}: the first
   * {@code limit} entries with keys above {@code after} (all when null) that pass {@code filter},
   * in key order, each as {@code item} makes it.
   */
  public <V, T> Part<List<T>> page(
      String store,
      String topic,
      String after,
      int limit,
      java.util.function.Predicate<V> filter,
      java.util.function.BiFunction<String, V, T> item) {
    Set<Integer> partitions = activePartitions(store, topic);
    TreeMap<String, T> merged = new TreeMap<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, V> values = keyValue(store, partition, false);
      int taken = 0;
      try (KeyValueIterator<String, V> it =
          after == null ? values.all() : values.range(after, null)) {
        while (it.hasNext() && taken < limit) {
          var kv = it.next();
          if ((after == null || kv.key.compareTo(after) > 0) && filter.test(kv.value)) {
            merged.put(kv.key, item.apply(kv.key, kv.value));
            taken++;
          }
        }
      }
    }
    return new Part<>(partitions, merged.values().stream().limit(limit).toList());
  }

  /**
   * A plugged-in view's total over this instance's active partitions of {@code topic}: each group's
   * partitions added up.
   */
  public Part<Map<String, GroupTotal>> totals(String store, String topic) {
    Set<Integer> partitions = activePartitions(store, topic);
    Map<String, GroupTotal> groups = new TreeMap<>();
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, GroupTotal> totals = keyValue(store, partition, false);
      try (KeyValueIterator<String, GroupTotal> it = totals.all()) {
        it.forEachRemaining(kv -> groups.merge(kv.key, kv.value, GroupTotal::add));
      }
    }
    return new Part<>(partitions, groups);
  }

  /**
   * One instance's part of an answer that spans every instance, and the partitions of the event log
   * it covers.
   */
  public record Part<T>(Set<Integer> partitions, T items) {}

  private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name, int partition, boolean stale) {
    if (!stale) {
      ReadOnlyKeyValueStore<String, V> held = handles.get(name, partition);
      if (held != null) {
        return held;
      }
    }
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
