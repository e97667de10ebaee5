package io.streamfold.projection.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The secondary index owner → account ids, re-keyed by owner through a repartition topic. */
public final class OwnerIndexProjection {
  private OwnerIndexProjection() {}

  /**
   * @param opened {@code owner → account id} for every event that opened an account
   */
  public static void build(StreamsBuilder builder, KStream<String, String> opened) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.OWNER_INDEX),
            Serdes.String(),
            Serdes.String()));
    opened
        .repartition(
            Repartitioned.<String, String>as(StoreNames.OWNER_REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.String()))
        .process(Indexer::new, Named.as(StoreNames.OWNER_INDEXER), StoreNames.OWNER_INDEX);
  }

  private static final class Indexer implements Processor<String, String, Void, Void> {
    private KeyValueStore<String, String> index;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      index = context.getStateStore(StoreNames.OWNER_INDEX);
    }

    @Override
    public void process(Record<String, String> record) {
      index.put(StoreNames.ownerKey(record.key(), record.value()), record.value());
    }
  }
}
