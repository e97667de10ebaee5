package io.streamfold.projection.topology;

import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.Projected;
import io.streamfold.projection.view.StatsDelta;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Accounts by status and total balance per currency: each applied event's change, re-keyed by
 * currency through a repartition topic and summed. Duplicates never reach it (the account projector
 * skips them), and exactly-once keeps the repartition hop from counting twice.
 */
public final class LedgerStatsProjection {
  private LedgerStatsProjection() {}

  public static void build(
      StreamsBuilder builder, KStream<String, Projected.Applied> applied, ProjectionSerdes serdes) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.STATS), Serdes.String(), serdes.stats()));
    applied
        .filter((id, event) -> event.delta().currency() != null, Named.as("known-currency-filter"))
        .map(
            (id, event) -> KeyValue.pair(event.delta().currency(), event.delta()),
            Named.as("key-by-currency"))
        .repartition(
            Repartitioned.<String, StatsDelta>as(StoreNames.STATS_REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(serdes.deltas()))
        .process(Aggregator::new, Named.as(StoreNames.STATS_AGGREGATOR), StoreNames.STATS);
  }

  private static final class Aggregator implements Processor<String, StatsDelta, Void, Void> {
    private KeyValueStore<String, CurrencyStats> stats;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      stats = context.getStateStore(StoreNames.STATS);
    }

    @Override
    public void process(Record<String, StatsDelta> record) {
      CurrencyStats current = stats.get(record.key());
      stats.put(
          record.key(),
          (current == null ? CurrencyStats.empty(record.key()) : current).plus(record.value()));
    }
  }
}
