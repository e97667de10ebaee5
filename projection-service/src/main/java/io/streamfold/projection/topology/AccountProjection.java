package io.streamfold.projection.topology;

import io.streamfold.projection.view.AccountProjector;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.HistoryEntry;
import io.streamfold.projection.view.Projected;
import io.streamfold.projection.view.StatsDelta;
import io.streamfold.schemas.account.AccountEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
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
            List.of(eventsTopic, ProjectionTopology.replayTopic(eventsTopic)),
            Consumed.with(Serdes.String(), serdes.sourced()).withName(StoreNames.EVENTS_SOURCE))
        .process(
            () -> new Projector(waiters, counters, handles, serdes.events()::decode),
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
    private Recent<AccountSummary> summaries;
    private KeyValueStore<String, HistoryEntry> history;
    private Recent<CurrencyStats> stats;
    private final java.util.function.Function<byte[], AccountEvent> decoder;

    Projector(
        VersionWaiters waiters,
        ProjectionCounters counters,
        StoreHandles handles,
        java.util.function.Function<byte[], AccountEvent> decoder) {
      this.waiters = waiters;
      this.counters = counters;
      this.handles = handles;
      this.decoder = decoder;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      summaries = new Recent<>(context.getStateStore(StoreNames.SUMMARIES), Recent.VIEWS);
      history = context.getStateStore(StoreNames.HISTORY);
      stats = new Recent<>(context.getStateStore(StoreNames.STATS), Recent.GROUPS);
      partition = context.taskId().partition();
      handles.register(StoreNames.SUMMARIES, partition, summaries.store);
      handles.register(StoreNames.HISTORY, partition, history);
    }

    @Override
    public void close() {
      handles.remove(StoreNames.SUMMARIES, partition, summaries.store);
      handles.remove(StoreNames.HISTORY, partition, history);
    }

    @Override
    public void process(Record<String, SourcedEvent> record) {
      if (record.value() == null) {
        return; // a tombstone: the event log has none, and a projection never deletes on one
      }
      AccountEvent event = record.value().event();
      String id = event.getAggregateId();
      AccountSummary current = summaries.get(id);
      if (current != null
          && event.getVersion() <= current.version()
          && current.missingVersions() > 0
          && history.get(StoreNames.historyKey(id, event.getVersion())) == null) {
        fill(current, record.value(), record);
        return;
      }
      Projected projected = AccountProjector.apply(current, event);
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
        CurrencyStats sofar = stats.get(delta.currency());
        stats.put(
            delta.currency(),
            (sofar == null ? CurrencyStats.empty(delta.currency()) : sofar).plus(delta));
      }
      if (applied.subject() != null) {
        context.forward(record.withKey(applied.subject()).withValue(id));
      }
      waiters.applied(id, event.getVersion());
      counters.applied(System.currentTimeMillis() - record.timestamp());
    }

    /**
     * Applies a version the view is missing (a gap), arriving after later versions were applied:
     * typically a dead-lettered event replayed once its cause is fixed. The account's history after
     * it is folded again on top of it, and the statistics get the difference between the new fold
     * and the old one, so the stores end as if the event had been applied in its turn (a rebuild
     * gives the same digests).
     */
    private void fill(
        AccountSummary latest, SourcedEvent late, Record<String, SourcedEvent> record) {
      AccountEvent event = late.event();
      String id = event.getAggregateId();
      HistoryEntry previous = null;
      try (KeyValueIterator<String, HistoryEntry> it =
          history.reverseRange(
              StoreNames.historyKey(id, 0), StoreNames.historyKey(id, event.getVersion() - 1))) {
        if (it.hasNext()) {
          previous = it.next().value;
        }
      }
      List<KeyValue<String, HistoryEntry>> later = new ArrayList<>();
      try (KeyValueIterator<String, HistoryEntry> it =
          history.range(
              StoreNames.historyKey(id, event.getVersion() + 1),
              StoreNames.historyKey(id, Long.MAX_VALUE))) {
        it.forEachRemaining(later::add);
      }
      AccountSummary before = previous == null ? null : previous.asSummary(latest);
      Projected.Applied applied = (Projected.Applied) AccountProjector.apply(before, event);
      AccountSummary now = applied.summary();
      Map<String, CurrencyStats> changed = new HashMap<>();
      List<KeyValue<String, HistoryEntry>> rewritten = new ArrayList<>();
      rewritten.add(
          KeyValue.pair(
              StoreNames.historyKey(id, event.getVersion()),
              HistoryEntry.of(now, applied.transaction(), late.bytes())));
      addTo(changed, applied.delta(), 1);
      AccountSummary was = before;
      for (KeyValue<String, HistoryEntry> entry : later) {
        if (entry.value.event() == null) {
          throw new IllegalStateException(
              "Cannot fill version "
                  + event.getVersion()
                  + " of "
                  + id
                  + ": its later history entries predate the history keeping events; rebuild"
                  + " the projections under a new APPLICATION_ID");
        }
        AccountEvent next = decoder.apply(entry.value.event());
        Projected.Applied old = (Projected.Applied) AccountProjector.apply(was, next);
        Projected.Applied redone = (Projected.Applied) AccountProjector.apply(now, next);
        was = old.summary();
        now = redone.summary();
        addTo(changed, old.delta(), -1);
        addTo(changed, redone.delta(), 1);
        rewritten.add(
            KeyValue.pair(
                entry.key, HistoryEntry.of(now, redone.transaction(), entry.value.event())));
      }
      // everything computed before anything is written: a failure above changes nothing
      history.putAll(rewritten);
      summaries.put(id, now);
      changed.forEach(stats::put);
      if (applied.subject() != null) {
        context.forward(record.withKey(applied.subject()).withValue(id));
      }
      counters.fill();
      LOG.info(
          "Filled version {} of {} ({} later version(s) folded again); {} version(s) still missing",
          event.getVersion(),
          id,
          later.size(),
          now.missingVersions());
      waiters.applied(id, now.version());
    }

    /** Adds {@code sign} times {@code delta} to its currency's statistics in {@code changed}. */
    private void addTo(Map<String, CurrencyStats> changed, StatsDelta delta, int sign) {
      if (delta.currency() == null) {
        return;
      }
      CurrencyStats current = changed.get(delta.currency());
      if (current == null) {
        current = stats.get(delta.currency());
      }
      StatsDelta signed =
          sign > 0
              ? delta
              : new StatsDelta(
                  delta.currency(), -delta.open(), -delta.closed(), delta.balance().negate());
      changed.put(
          delta.currency(),
          (current == null ? CurrencyStats.empty(delta.currency()) : current).plus(signed));
    }
  }
}
