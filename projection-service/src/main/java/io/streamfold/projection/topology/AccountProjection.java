package io.streamfold.projection.topology;

import io.streamfold.projection.view.AccountProjector;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.HistoryEntry;
import io.streamfold.projection.view.Projected;
import io.streamfold.projection.view.StatsDelta;
import io.streamfold.schemas.account.AccountEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one partition of the event log folds into, in the task of that partition: the latest
 * summary of each account, its history per version (the transaction list, {@code asOf} reads and
 * the stream reads, from the event's bytes kept there), and the ledger statistics of the partition
 * (summed over partitions when read, so no event crosses a repartition topic to be counted). Emits
 * the events that open an account, for the owner index.
 *
 * <p>The summaries and statistics go through the record cache: an account's or a currency's
 * repeated changes between two commits reach RocksDB and the changelog once, and reads see the
 * cache. A larger commit interval for a rebuild was measured and did not pay (README, Performance).
 */
public final class AccountProjection {
  private AccountProjection() {}

  public static KStream<String, String> build(
      StreamsBuilder builder,
      String eventsTopic,
      ProjectionSerdes serdes,
      VersionWaiters waiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.SUMMARIES),
                Serdes.String(),
                serdes.summaries())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.HISTORY), Serdes.String(), serdes.history()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.STATS), Serdes.String(), serdes.stats())
            .withCachingEnabled());
    return builder.stream(
            eventsTopic,
            Consumed.with(Serdes.String(), serdes.sourced()).withName(StoreNames.EVENTS_SOURCE))
        .process(
            () -> new Projector(waiters, counters, handles),
            Named.as(StoreNames.ACCOUNT_PROJECTOR),
            StoreNames.SUMMARIES,
            StoreNames.HISTORY,
            StoreNames.STATS);
  }

  /** Folds each event; forwards {@code owner → account id} for the events that open an account. */
  private static final class Projector implements Processor<String, SourcedEvent, String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(AccountProjection.class);
    private final VersionWaiters waiters;
    private final ProjectionCounters counters;
    private final StoreHandles handles;
    private int partition;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, AccountSummary> summaries;
    private KeyValueStore<String, HistoryEntry> history;
    private KeyValueStore<String, CurrencyStats> stats;

    Projector(VersionWaiters waiters, ProjectionCounters counters, StoreHandles handles) {
      this.waiters = waiters;
      this.counters = counters;
      this.handles = handles;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      summaries = context.getStateStore(StoreNames.SUMMARIES);
      history = context.getStateStore(StoreNames.HISTORY);
      stats = context.getStateStore(StoreNames.STATS);
      partition = context.taskId().partition();
      handles.register(StoreNames.SUMMARIES, partition, summaries);
      handles.register(StoreNames.HISTORY, partition, history);
    }

    @Override
    public void close() {
      handles.remove(StoreNames.SUMMARIES, partition, summaries);
      handles.remove(StoreNames.HISTORY, partition, history);
    }

    @Override
    public void process(Record<String, SourcedEvent> record) {
      if (record.value() == null) {
        return; // a tombstone: the event log has none, and a projection never deletes on one
      }
      AccountEvent event = record.value().event();
      String id = event.getAggregateId();
      Projected projected = AccountProjector.apply(summaries.get(id), event);
      if (projected instanceof Projected.Skipped skipped) {
        counters.duplicate();
        LOG.debug(
            "Skipped event {} of {}: version {} is not newer than {}",
            event.getEventId(),
            id,
            skipped.eventVersion(),
            skipped.viewVersion());
        return;
      }
      Projected.Applied applied = (Projected.Applied) projected;
      if (applied.missing() > 0) {
        counters.gap();
        LOG.warn(
            "Gap in {}: {} version(s) missing before {}; applied and recorded in the view",
            id,
            applied.missing(),
            event.getVersion());
      }
      summaries.put(id, applied.summary());
      history.put(
          StoreNames.historyKey(id, event.getVersion()),
          HistoryEntry.of(applied.summary(), applied.transaction(), record.value().bytes()));
      StatsDelta delta = applied.delta();
      if (delta.currency() != null) {
        CurrencyStats current = stats.get(delta.currency());
        stats.put(
            delta.currency(),
            (current == null ? CurrencyStats.empty(delta.currency()) : current).plus(delta));
      }
      if (applied.owner() != null) {
        context.forward(record.withKey(applied.owner()).withValue(id));
      }
      waiters.applied(id, event.getVersion());
    }
  }
}
