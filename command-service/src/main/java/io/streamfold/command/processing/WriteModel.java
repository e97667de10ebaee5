package io.streamfold.command.processing;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.serde.WireFormat;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the version table through interactive queries: here, at the owning instance, or not now.
 */
public final class WriteModel<S> {
  private final KafkaStreams streams;
  private final Aggregate<?, ?, S> aggregate;
  private final HostInfo self;
  private final String store;

  public WriteModel(KafkaStreams streams, Aggregate<?, ?, S> aggregate, HostInfo self) {
    this.streams = streams;
    this.aggregate = aggregate;
    this.self = self;
    this.store = StoreNames.versions(aggregate.type());
  }

  /** Where and what the aggregate's current version and state are. */
  public Lookup<S> find(String aggregateId) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return new Lookup.Unavailable<>("Kafka Streams is " + streams.state());
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(store, aggregateId, Serdes.String().serializer());
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
      return new Lookup.Unavailable<>("The owner of this key is not known yet");
    }
    if (!self.equals(metadata.activeHost())) {
      return new Lookup.Remote<>(metadata.activeHost());
    }
    try {
      ReadOnlyKeyValueStore<String, VersionRecord> versions =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      store, QueryableStoreTypes.<String, VersionRecord>keyValueStore())
                  .withPartition(metadata.partition()));
      VersionRecord row = versions.get(aggregateId);
      if (row == null) {
        return new Lookup.Missing<>();
      }
      return new Lookup.Found<>(
          row.getVersion(), aggregate.codec().decodeState(WireFormat.toBytes(row.getSnapshot())));
    } catch (InvalidStateStoreException e) {
      return new Lookup.Unavailable<>("The store is migrating or restoring: " + e.getMessage());
    }
  }

  /** The answer of {@link #find}. */
  public sealed interface Lookup<S> {
    record Found<S>(long version, S state) implements Lookup<S> {}

    record Missing<S>() implements Lookup<S> {}

    record Remote<S>(HostInfo owner) implements Lookup<S> {}

    record Unavailable<S>(String reason) implements Lookup<S> {}
  }
}
