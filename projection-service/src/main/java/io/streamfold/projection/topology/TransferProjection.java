package io.streamfold.projection.topology;

import io.streamfold.projection.view.TransferProjector;
import io.streamfold.projection.view.TransferView;
import io.streamfold.schemas.transfer.TransferEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money transfers' views: each transfer's latest state, folded from its events in the task of
 * its partition, through the record cache like the account summaries. A sub-topology of its own
 * (the transfers' log is keyed by transfer id), so its partitions are placed independently of the
 * accounts'; reads locate them through Kafka Streams' metadata.
 */
public final class TransferProjection {
  private TransferProjection() {}

  public static void build(
      StreamsBuilder builder,
      String transfersTopic,
      ProjectionSerdes serdes,
      VersionWaiters waiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.TRANSFERS),
                Serdes.String(),
                serdes.transfers())
            .withCachingEnabled());
    builder.stream(
            transfersTopic,
            Consumed.with(Serdes.String(), serdes.transferSource())
                .withName(StoreNames.TRANSFERS_SOURCE))
        .process(
            () -> new Projector(waiters, counters, handles),
            Named.as(StoreNames.TRANSFER_PROJECTOR),
            StoreNames.TRANSFERS);
  }

  private static final class Projector implements Processor<String, TransferEvent, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(TransferProjection.class);
    private final VersionWaiters waiters;
    private final ProjectionCounters counters;
    private final StoreHandles handles;
    private int partition;
    private KeyValueStore<String, TransferView> views;

    Projector(VersionWaiters waiters, ProjectionCounters counters, StoreHandles handles) {
      this.waiters = waiters;
      this.counters = counters;
      this.handles = handles;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      views = context.getStateStore(StoreNames.TRANSFERS);
      partition = context.taskId().partition();
      handles.register(StoreNames.TRANSFERS, partition, views);
    }

    @Override
    public void close() {
      handles.remove(StoreNames.TRANSFERS, partition, views);
    }

    @Override
    public void process(Record<String, TransferEvent> record) {
      TransferEvent event = record.value();
      if (event == null) {
        return;
      }
      String id = event.getAggregateId();
      TransferView current = views.get(id);
      TransferView next = TransferProjector.apply(current, event);
      if (next == null) {
        counters.duplicate();
        return;
      }
      if (next.missingVersions() > (current == null ? 0 : current.missingVersions())) {
        counters.gap();
        LOG.warn("Gap in transfer {}: versions missing before {}", id, event.getVersion());
      }
      views.put(id, next);
      waiters.applied(id, event.getVersion());
      counters.applied(System.currentTimeMillis() - record.timestamp());
    }
  }
}
