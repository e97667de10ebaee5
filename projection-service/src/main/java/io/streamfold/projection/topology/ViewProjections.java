package io.streamfold.projection.topology;

import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
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
 * The topology of the plugged-in {@link ViewProjection}s: for each, a source on its aggregate
 * type's events ({@code <store>-source}), a processor ({@code <store>-projector}) and a cached
 * key-value store, in a sub-topology of its own (its log is keyed by its own ids, so its partitions
 * are placed independently of the accounts'; reads locate them through Kafka Streams' metadata). A
 * view that asks for its {@link ViewProjection#history() history} gets a second store, {@link
 * #historyStore}, written by the same processor: the view after each version under {@link
 * StoreNames#historyKey}, in version order per aggregate, with the event's time.
 */
public final class ViewProjections {
  private ViewProjections() {}

  /**
   * @param eventsTopic the topic of a collection's events
   * @param waiters the read-your-writes waiters of each view's store
   */
  public static void build(
      StreamsBuilder builder,
      List<ViewProjection<?, ?>> views,
      Function<String, String> eventsTopic,
      SchemaRegistry registry,
      Map<String, VersionWaiters> waiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    for (ViewProjection<?, ?> view : views) {
      add(
          builder,
          view,
          eventsTopic.apply(view.collection()),
          registry,
          waiters,
          counters,
          handles);
    }
  }

  /** The history store of {@code view}, when it {@link ViewProjection#history() keeps one}. */
  public static String historyStore(ViewProjection<?, ?> view) {
    return view.store() + "-history";
  }

  private static <E, V> void add(
      StreamsBuilder builder,
      ViewProjection<E, V> view,
      String topic,
      SchemaRegistry registry,
      Map<String, VersionWaiters> waiters,
      ProjectionCounters counters,
      StoreHandles handles) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(view.store()), Serdes.String(), serde(view))
            .withCachingEnabled());
    String[] stores = {view.store()};
    if (view.history()) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(historyStore(view)),
              Serdes.String(),
              historySerde(view)));
      stores = new String[] {view.store(), historyStore(view)};
    }
    Function<byte[], E> decoder = view.decoder(registry);
    Serde<E> events =
        Serdes.serdeFrom(
            (t, value) -> {
              throw new UnsupportedOperationException("The projections never write events");
            },
            (t, data) -> data == null ? null : decoder.apply(data));
    builder.stream(topic, Consumed.with(Serdes.String(), events).withName(view.store() + "-source"))
        .process(
            () -> new Projector<>(view, waiters.get(view.store()), counters, handles),
            Named.as(view.store() + "-projector"),
            stores);
  }

  /** The stored form: format 1, version, missing versions, the plug-in's bytes of the view. */
  public static <V> Serde<Versioned<V>> serde(ViewProjection<?, V> view) {
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          byte[] inner = view.write(value.view());
          return ByteBuffer.allocate(1 + 2 * Long.BYTES + inner.length)
              .put((byte) 1)
              .putLong(value.version())
              .putLong(value.missingVersions())
              .put(inner)
              .array();
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.wrap(data);
          if (buffer.get() != 1) {
            throw new IllegalStateException("Unknown format of a " + view.store() + " entry");
          }
          long version = buffer.getLong();
          long missing = buffer.getLong();
          byte[] inner = new byte[buffer.remaining()];
          buffer.get(inner);
          return new Versioned<>(version, missing, view.read(inner));
        });
  }

  /**
   * A history entry as stored: format 1, the event's timestamp, then the view as {@link #serde}.
   */
  public static <V> Serde<ViewVersion<V>> historySerde(ViewProjection<?, V> view) {
    Serde<Versioned<V>> state = serde(view);
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          byte[] inner = state.serializer().serialize(topic, value.state());
          return ByteBuffer.allocate(1 + Long.BYTES + inner.length)
              .put((byte) 1)
              .putLong(value.timestamp())
              .put(inner)
              .array();
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.wrap(data);
          if (buffer.get() != 1) {
            throw new IllegalStateException("Unknown format of a " + historyStore(view) + " entry");
          }
          long timestamp = buffer.getLong();
          byte[] inner = new byte[buffer.remaining()];
          buffer.get(inner);
          return new ViewVersion<>(timestamp, state.deserializer().deserialize(topic, inner));
        });
  }

  private static final class Projector<E, V> implements Processor<String, E, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ViewProjections.class);
    private final ViewProjection<E, V> view;
    private final VersionWaiters waiters;
    private final ProjectionCounters counters;
    private final StoreHandles handles;
    private int partition;
    private KeyValueStore<String, Versioned<V>> store;
    private KeyValueStore<String, ViewVersion<V>> history; // null unless the view keeps one

    Projector(
        ViewProjection<E, V> view,
        VersionWaiters waiters,
        ProjectionCounters counters,
        StoreHandles handles) {
      this.view = view;
      this.waiters = waiters;
      this.counters = counters;
      this.handles = handles;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(view.store());
      partition = context.taskId().partition();
      handles.register(view.store(), partition, store);
      if (view.history()) {
        history = context.getStateStore(historyStore(view));
        handles.register(historyStore(view), partition, history);
      }
    }

    @Override
    public void close() {
      handles.remove(view.store(), partition, store);
      if (history != null) {
        handles.remove(historyStore(view), partition, history);
      }
    }

    @Override
    public void process(Record<String, E> record) {
      E event = record.value();
      if (event == null) {
        return; // the event log has no tombstones, and a projection never deletes on one
      }
      String id = view.key(event);
      long version = view.version(event);
      Versioned<V> current = store.get(id);
      long known = current == null ? 0 : current.version();
      if (version <= known) {
        counters.duplicate();
        return;
      }
      long missing = version - known - 1;
      if (missing > 0) {
        counters.gap();
        LOG.warn(
            "Gap in {} {}: {} version(s) missing before {}", view.store(), id, missing, version);
      }
      V next = view.apply(current == null ? null : current.view(), event);
      Versioned<V> stored =
          new Versioned<>(
              version, (current == null ? 0 : current.missingVersions()) + missing, next);
      store.put(id, stored);
      if (history != null) {
        history.put(
            StoreNames.historyKey(id, version), new ViewVersion<>(record.timestamp(), stored));
      }
      waiters.applied(id, version);
      counters.applied(System.currentTimeMillis() - record.timestamp());
    }
  }
}
