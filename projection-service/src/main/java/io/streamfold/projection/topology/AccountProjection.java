package io.streamfold.projection.topology;

import io.streamfold.projection.view.AccountProjector;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.Projected;
import io.streamfold.projection.view.Transaction;
import io.streamfold.schemas.account.AccountEvent;
import java.time.Duration;
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
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account summary (latest and versioned by business time) and the account's transactions, from
 * the event log. Emits every applied event for the projections derived from it.
 */
public final class AccountProjection {
  private AccountProjection() {}

  public static KStream<String, Projected.Applied> build(
      StreamsBuilder builder,
      String eventsTopic,
      ProjectionSerdes serdes,
      Duration historyRetention,
      VersionWaiters waiters,
      ProjectionCounters counters) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.SUMMARIES),
            Serdes.String(),
            serdes.summaries()));
    builder.addStateStore(
        Stores.versionedKeyValueStoreBuilder(
            Stores.persistentVersionedKeyValueStore(StoreNames.HISTORY, historyRetention),
            Serdes.String(),
            serdes.summaries()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.TRANSACTIONS),
            Serdes.String(),
            serdes.transactions()));
    return builder.stream(
            eventsTopic,
            Consumed.with(Serdes.String(), serdes.events()).withName(StoreNames.EVENTS_SOURCE))
        .process(
            () -> new Projector(waiters, counters),
            Named.as(StoreNames.ACCOUNT_PROJECTOR),
            StoreNames.SUMMARIES,
            StoreNames.HISTORY,
            StoreNames.TRANSACTIONS);
  }

  private static final class Projector
      implements Processor<String, AccountEvent, String, Projected.Applied> {
    private static final Logger LOG = LoggerFactory.getLogger(AccountProjection.class);
    private final VersionWaiters waiters;
    private final ProjectionCounters counters;
    private ProcessorContext<String, Projected.Applied> context;
    private KeyValueStore<String, AccountSummary> summaries;
    private VersionedKeyValueStore<String, AccountSummary> history;
    private KeyValueStore<String, Transaction> transactions;

    Projector(VersionWaiters waiters, ProjectionCounters counters) {
      this.waiters = waiters;
      this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Projected.Applied> context) {
      this.context = context;
      summaries = context.getStateStore(StoreNames.SUMMARIES);
      history = context.getStateStore(StoreNames.HISTORY);
      transactions = context.getStateStore(StoreNames.TRANSACTIONS);
    }

    @Override
    public void process(Record<String, AccountEvent> record) {
      AccountEvent event = record.value();
      if (event == null) {
        return; // a tombstone: the event log has none, and a projection never deletes on one
      }
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
      history.put(id, applied.summary(), record.timestamp());
      transactions.put(StoreNames.transactionKey(id, event.getVersion()), applied.transaction());
      context.forward(record.withKey(id).withValue(applied));
      waiters.applied(id, event.getVersion());
    }
  }
}
