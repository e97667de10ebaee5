package io.streamfold.projection.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.streamfold.service.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A SHA-256 per store and partition over every entry of this instance's active key-value stores, in
 * key order, keys and values as canonical JSON. Two deployments that folded the same log agree
 * partition by partition, whatever the instances, restarts and restores in between: a rebuild under
 * a new application id must give the same digests as the live stores.
 */
public final class StoreDigests {
  private final KafkaStreams streams;
  private final Map<String, Integer> subtopologyOfStore = new HashMap<>();
  private final List<String> stores;

  public StoreDigests(KafkaStreams streams, TopologyDescription topology, List<String> stores) {
    this.streams = streams;
    this.stores = List.copyOf(stores);
    for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Processor processor) {
          processor.stores().forEach(store -> subtopologyOfStore.put(store, subtopology.id()));
        }
      }
    }
  }

  /** Store → partition → digest, for the partitions this instance is active for. */
  public Map<String, Map<Integer, String>> local() {
    Map<String, Map<Integer, String>> digests = new TreeMap<>();
    for (String store : stores) {
      Map<Integer, String> partitions = new TreeMap<>();
      for (int partition : activePartitions(subtopologyOfStore.get(store))) {
        partitions.put(partition, digest(store, partition));
      }
      digests.put(store, partitions);
    }
    return digests;
  }

  private List<Integer> activePartitions(Integer subtopology) {
    return streams.metadataForLocalThreads().stream()
        .flatMap(thread -> thread.activeTasks().stream())
        .filter(task -> subtopology != null && task.taskId().subtopology() == subtopology)
        .map(task -> task.taskId().partition())
        .toList();
  }

  private String digest(String store, int partition) {
    ReadOnlyKeyValueStore<Object, Object> values =
        streams.store(
            StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())
                .withPartition(partition));
    MessageDigest sha256 = sha256();
    long entries = 0;
    try (KeyValueIterator<Object, Object> it = values.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        sha256.update(json(entry.key));
        sha256.update((byte) '=');
        sha256.update(json(entry.value));
        sha256.update((byte) '\n');
        entries++;
      }
    }
    return entries + ":" + HexFormat.of().formatHex(sha256.digest());
  }

  private static byte[] json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a store value as JSON", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
