package io.streamfold.projection.topology;

import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.http.Ids;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology of the plugged-in {@link ViewProjection}s: for each, a source on its aggregate
 * type's events and their replay topic ({@code <store>-source}; dead letters put back, which fill
 * the gaps they left in a view that keeps its history), a processor ({@code <store>-projector}) and
 * a cached key-value store, in a sub-topology of its own (its log is keyed by its own ids, so its
 * partitions are placed independently of the other views'; reads locate a key's partition as the
 * writers place it). A view that asks for its {@link ViewProjection#history() history} gets a
 * second store, {@link #historyStore}, written by the same processor: the view after each version
 * under {@link StoreNames#historyKey}, in version order per aggregate, with the event's time. Each
 * of its {@link ViewProjection#indexes() indexes} gets a repartition topic and a store ({@link
 * #indexStore}): the projector forwards, keyed by index key, the ids entering and leaving each key
 * as views change, and an indexer in the key's partition keeps {@code <key>\0<id> → id}. Each of
 * its {@link ViewProjection#totals() totals} gets a cached store in the views' own task ({@link
 * #totalsStore}), group → {@link GroupTotal} of that partition, which the projector moves each
 * changed view's contribution through.
 */
public final class ViewProjections {
  private static final Logger LOG = LoggerFactory.getLogger(ViewProjections.class);

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
    // one serde for the views and their history, which writes each view once (see serde)
    Serde<Versioned<V>> viewSerde = serde(view);
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(view.store()), Serdes.String(), viewSerde)
            .withCachingEnabled());
    String[] stores = {view.store()};
    if (view.history()) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(historyStore(view)),
              Serdes.String(),
              historySerde(view, viewSerde)));
      stores = new String[] {view.store(), historyStore(view)};
    }
    for (ViewProjection.Total<V> total : view.totals()) {
      // moved by almost every event, read back by the next: written to the store at commits
      builder.addStateStore(
          WriteBehindStore.of(
              Stores.keyValueStoreBuilder(
                      Stores.persistentKeyValueStore(totalsStore(view, total.name())),
                      Serdes.String(),
                      GroupTotal.SERDE)
                  .withCachingEnabled()));
      stores = java.util.Arrays.copyOf(stores, stores.length + 1);
      stores[stores.length - 1] = totalsStore(view, total.name());
    }
    Function<byte[], E> decoder = view.decoder(registry);
    Serde<Sourced<E>> events = // bytes that cannot be read fail here: dead-lettered by the handler
        Serdes.serdeFrom(
            (t, value) -> {
              throw new UnsupportedOperationException("The projections never write events");
            },
            (t, data) -> data == null ? null : new Sourced<>(decoder.apply(data), data));
    KStream<String, IndexChange> changes =
        builder.stream(
                List.of(topic, ProjectionTopology.replayTopic(topic)),
                Consumed.with(Serdes.String(), events).withName(view.store() + "-source"))
            .process(
                () -> new Projector<>(view, decoder, waiters.get(view.store()), counters, handles),
                Named.as(view.store() + "-projector"),
                stores);
    for (ViewProjection.Index<V> index : view.indexes()) {
      String name = indexStore(view, index.name());
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String()));
      changes
          .filter((key, change) -> change.index().equals(index.name()), Named.as(name + "-changes"))
          .repartition(
              Repartitioned.<String, IndexChange>as(name)
                  .withKeySerde(Serdes.String())
                  .withValueSerde(IndexChange.SERDE))
          .process(() -> new Indexer(name, handles), Named.as(name + "-indexer"), name);
    }
  }

  /** The store of a view's total: group → {@link GroupTotal}, per partition of the views. */
  public static String totalsStore(ViewProjection<?, ?> view, String total) {
    return view.store() + "-totals-" + total;
  }

  /**
   * The store of a view's index, keyed by {@link StoreNames.indexKey index key and id}; also the
   * name of the repartition topic that feeds it.
   */
  public static String indexStore(ViewProjection<?, ?> view, String index) {
    return view.store() + "-by-" + index;
  }

  /**
   * An event as the projector gets it: read by the plug-in, with its bytes as the log holds them.
   */
  record Sourced<E>(E event, byte[] bytes) {}

  /** An id entering or leaving an index key (the record's key). */
  record IndexChange(String index, String id, boolean present) {
    static final Serde<IndexChange> SERDE =
        Serdes.serdeFrom(
            (topic, change) ->
                change == null
                    ? null
                    : ((change.present() ? "+" : "-") + change.index() + '\u0000' + change.id())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            (topic, data) -> {
              if (data == null) {
                return null;
              }
              String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
              int split = text.indexOf('\u0000');
              return new IndexChange(
                  text.substring(1, split), text.substring(split + 1), text.charAt(0) == '+');
            });
  }

  /** Keeps one index: {@code <key>\0<id> → id} while the id's view has the key. */
  private static final class Indexer implements Processor<String, IndexChange, Void, Void> {
    private final String store;
    private final StoreHandles handles;
    private KeyValueStore<String, String> index;
    private int partition;

    Indexer(String store, StoreHandles handles) {
      this.store = store;
      this.handles = handles;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      index = context.getStateStore(store);
      partition = context.taskId().partition();
      handles.register(store, partition, index);
    }

    @Override
    public void close() {
      handles.remove(store, partition, index);
    }

    @Override
    public void process(Record<String, IndexChange> record) {
      String key = StoreNames.indexKey(record.key(), record.value().id());
      if (record.value().present()) {
        index.put(key, record.value().id());
      } else {
        index.delete(key);
      }
    }
  }

  /**
   * The stored form: format 1, version, missing versions, the plug-in's bytes of the view. The
   * projector writes a view to its store and then, with its history, the same object again as part
   * of a history entry: each stream thread's serializer remembers the last value it wrote and its
   * bytes, so the plug-in writes a view once (stores never change the bytes they are given).
   */
  public static <V> Serde<Versioned<V>> serde(ViewProjection<?, V> view) {
    ThreadLocal<Object[]> last = ThreadLocal.withInitial(() -> new Object[2]);
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          Object[] remembered = last.get();
          if (remembered[0] == value) {
            return (byte[]) remembered[1];
          }
          byte[] bytes = framed(view.write(value.view()), value.version(), value.missingVersions());
          remembered[0] = value;
          remembered[1] = bytes;
          return bytes;
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          ByteBuffer buffer = unframed(data, view.store());
          long version = buffer.getLong();
          long missing = buffer.getLong();
          return new Versioned<>(version, missing, view.read(rest(buffer)));
        });
  }

  /**
   * A history entry as stored: format 2, the event's timestamp, the length of the view as {@link
   * #serde} stores it, the view, then the event's bytes. Format 1 (timestamp, then the view) is
   * still read, with no event: a stream read of it answers 503 {@code stream-not-indexed}.
   */
  public static <V> Serde<ViewVersion<V>> historySerde(ViewProjection<?, V> view) {
    return historySerde(view, serde(view));
  }

  /** {@link #historySerde(ViewProjection)}, its views written by {@code state}. */
  static <V> Serde<ViewVersion<V>> historySerde(
      ViewProjection<?, V> view, Serde<Versioned<V>> state) {
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          byte[] stored = state.serializer().serialize(topic, value.state());
          byte[] event = value.event() == null ? new byte[0] : value.event();
          return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES + stored.length + event.length)
              .put((byte) 2)
              .putLong(value.timestamp())
              .putInt(stored.length)
              .put(stored)
              .put(event)
              .array();
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.wrap(data);
          byte format = buffer.get();
          if (format == 1) {
            long timestamp = buffer.getLong();
            return new ViewVersion<>(
                timestamp, state.deserializer().deserialize(topic, rest(buffer)), null);
          }
          if (format != 2) {
            throw new IllegalStateException("Unknown format of a " + historyStore(view) + " entry");
          }
          long timestamp = buffer.getLong();
          byte[] stored = new byte[buffer.getInt()];
          buffer.get(stored);
          byte[] event = rest(buffer); // empty: an entry written without its event
          return new ViewVersion<>(
              timestamp,
              state.deserializer().deserialize(topic, stored),
              event.length == 0 ? null : event);
        });
  }

  /**
   * Moves a view's contribution to {@code total} from {@code before} (null: it counted nowhere) to
   * {@code after}: within its group, only the difference of its amounts (nothing when they are
   * unchanged, as for most events); from one group to another, out of the old and into the new. A
   * group that no view counts in any more is dropped.
   */
  private static <V> void moveTotal(
      Recent<GroupTotal> store, ViewProjection.Total<V> total, V before, V after) {
    String from = before == null ? null : total.group().apply(before);
    String to = total.group().apply(after);
    Map<String, java.math.BigDecimal> was = from == null ? null : amounts(total, before);
    Map<String, java.math.BigDecimal> now = to == null ? null : amounts(total, after);
    if (from != null && from.equals(to)) {
      if (!was.equals(now)) {
        GroupTotal sofar = store.get(to);
        store.put(to, (sofar == null ? GroupTotal.NONE : sofar).moved(was, now));
      }
      return;
    }
    if (from != null) {
      GroupTotal sofar = store.get(from);
      GroupTotal next = (sofar == null ? GroupTotal.NONE : sofar).plus(-1, was);
      if (next.count() == 0) {
        store.delete(from);
      } else {
        store.put(from, next);
      }
    }
    if (to != null) {
      GroupTotal sofar = store.get(to);
      store.put(to, (sofar == null ? GroupTotal.NONE : sofar).plus(1, now));
    }
  }

  private static <V> Map<String, java.math.BigDecimal> amounts(
      ViewProjection.Total<V> total, V view) {
    Map<String, java.math.BigDecimal> amounts = total.amounts().apply(view);
    return amounts == null ? Map.of() : amounts;
  }

  /** Format 1, then {@code header}, then {@code inner}: how the views' stores keep their values. */
  private static byte[] framed(byte[] inner, long... header) {
    ByteBuffer buffer = ByteBuffer.allocate(1 + header.length * Long.BYTES + inner.length);
    buffer.put((byte) 1);
    for (long value : header) {
      buffer.putLong(value);
    }
    return buffer.put(inner).array();
  }

  /** {@code data} after its format byte, which must be 1. */
  private static ByteBuffer unframed(byte[] data, String store) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    if (buffer.get() != 1) {
      throw new IllegalStateException("Unknown format of a " + store + " entry");
    }
    return buffer;
  }

  private static byte[] rest(ByteBuffer buffer) {
    byte[] rest = new byte[buffer.remaining()];
    buffer.get(rest);
    return rest;
  }

  /**
   * The keys of {@code view} in {@code index} that follow the id rule (the others are left out).
   */
  private static <V> Set<String> keys(ViewProjection.Index<V> index, V view, String id) {
    Set<String> keys = new java.util.TreeSet<>();
    for (String key : index.keys().apply(view)) {
      if (key == null) {
        continue; // not known (yet): nothing to find the view under
      }
      if (Ids.isAggregateId(key)) {
        keys.add(key);
      } else {
        LOG.warn("Left out of index {} of {}: the key '{}' is not an id", index.name(), id, key);
      }
    }
    return keys;
  }

  private static final class Projector<E, V>
      implements Processor<String, Sourced<E>, String, IndexChange> {
    private final ViewProjection<E, V> view;
    private final Function<byte[], E> decoder;
    private final VersionWaiters waiters;
    private final ProjectionCounters counters;
    private final StoreHandles handles;
    private int partition;
    private Recent<Versioned<V>> store;
    private KeyValueStore<String, ViewVersion<V>> history; // null unless the view keeps one
    // the time of each recent view's last history entry, so that its next one is never earlier
    private final Map<String, Long> lastTimes = Recent.leastRecentlyUsedOut(Recent.VIEWS);
    private ProcessorContext<String, IndexChange> context;
    private final List<Recent<GroupTotal>> totals = new java.util.ArrayList<>();
    // asked of the plug-in once: its methods may build new lists at every call
    private final List<ViewProjection.Index<V>> indexes;
    private final List<ViewProjection.Total<V>> totalsOf;

    Projector(
        ViewProjection<E, V> view,
        Function<byte[], E> decoder,
        VersionWaiters waiters,
        ProjectionCounters counters,
        StoreHandles handles) {
      this.view = view;
      this.decoder = decoder;
      this.indexes = List.copyOf(view.indexes());
      this.totalsOf = List.copyOf(view.totals());
      this.waiters = waiters;
      this.counters = counters;
      this.handles = handles;
    }

    @Override
    public void init(ProcessorContext<String, IndexChange> context) {
      lastTimes.clear();
      this.context = context;
      store = new Recent<>(context.getStateStore(view.store()), Recent.VIEWS);
      partition = context.taskId().partition();
      handles.register(view.store(), partition, store.store);
      totals.clear();
      for (ViewProjection.Total<V> total : totalsOf) {
        String name = totalsStore(view, total.name());
        totals.add(new Recent<>(context.getStateStore(name), Recent.GROUPS));
        handles.register(name, partition, totals.get(totals.size() - 1).store);
      }
      if (view.history()) {
        history = context.getStateStore(historyStore(view));
        handles.register(historyStore(view), partition, history);
      }
    }

    @Override
    public void close() {
      handles.remove(view.store(), partition, store.store);
      if (history != null) {
        handles.remove(historyStore(view), partition, history);
      }
      for (int i = 0; i < totals.size(); i++) {
        handles.remove(totalsStore(view, totalsOf.get(i).name()), partition, totals.get(i).store);
      }
    }

    @Override
    public void process(Record<String, Sourced<E>> record) {
      if (record.value() == null) {
        return; // the event log has no tombstones, and a projection never deletes on one
      }
      E event = record.value().event();
      String id = view.key(event);
      long version = view.version(event);
      Versioned<V> current = store.get(id);
      long known = current == null ? 0 : current.version();
      if (version <= known) {
        if (history != null
            && current.missingVersions() > 0
            && history.get(StoreNames.historyKey(id, version)) == null) {
          fill(current, record, id, version);
          return;
        }
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
        long time = Math.max(record.timestamp(), lastTime(id, current));
        history.put(
            StoreNames.historyKey(id, version),
            new ViewVersion<>(time, stored, record.value().bytes()));
        lastTimes.put(id, time);
      }
      moved(record, id, current, next);
      waiters.applied(id, version);
      counters.applied(System.currentTimeMillis() - record.timestamp());
    }

    /**
     * The time of the last history entry of {@code id}, whose latest view is {@code current};
     * {@link Long#MIN_VALUE} for none. Its business times never decrease along its versions (the
     * writers see to it since occurredAt = max(clock, last event's time)), and an entry's time is
     * its record's timestamp or the time of the entry before it if that is later: in a log written
     * before that rule, {@code asOf} still answers a prefix of the stream. A view read for a while
     * is known here; otherwise its last entry is read once.
     */
    private long lastTime(String id, Versioned<V> current) {
      if (current == null) {
        return Long.MIN_VALUE;
      }
      Long known = lastTimes.get(id);
      if (known != null) {
        return known;
      }
      ViewVersion<V> last = history.get(StoreNames.historyKey(id, current.version()));
      return last == null ? Long.MIN_VALUE : last.timestamp();
    }

    /**
     * Applies a version the view is missing (a gap), arriving after later versions were applied: a
     * dead-lettered event replayed once its cause is fixed. The view right before it (from the
     * history) takes it, then the events the history keeps after it are folded again on top, each
     * entry rewritten with its own time (never earlier than the one before) and bytes; the view,
     * its totals and its indexes end as if the event had come in its turn (a rebuild gives the same
     * digests). A history whose later entries were written before it kept events cannot be folded
     * again: the event fails, and is dead-lettered again with that reason.
     */
    private void fill(
        Versioned<V> latest, Record<String, Sourced<E>> record, String id, long late) {
      ViewVersion<V> previous = null;
      try (KeyValueIterator<String, ViewVersion<V>> it =
          history.reverseRange(StoreNames.historyKey(id, 0), StoreNames.historyKey(id, late - 1))) {
        if (it.hasNext()) {
          previous = it.next().value;
        }
      }
      List<ViewVersion<V>> later = new java.util.ArrayList<>();
      try (KeyValueIterator<String, ViewVersion<V>> it =
          history.range(
              StoreNames.historyKey(id, late + 1), StoreNames.historyKey(id, Long.MAX_VALUE))) {
        it.forEachRemaining(entry -> later.add(entry.value));
      }
      for (ViewVersion<V> entry : later) {
        if (entry.event() == null) {
          throw new IllegalStateException(
              "Cannot fill version "
                  + late
                  + " of "
                  + view.collection()
                  + " "
                  + id
                  + ": version "
                  + entry.version()
                  + " was kept before the history kept events; rebuild under a new"
                  + " APPLICATION_ID to fill it");
        }
      }
      long last = previous == null ? 0 : previous.version();
      long missing = previous == null ? 0 : previous.state().missingVersions();
      V folded = previous == null ? null : previous.state().view();
      missing += late - last - 1;
      folded = view.apply(folded, record.value().event());
      Versioned<V> state = new Versioned<>(late, missing, folded);
      // each time never earlier than the one before: the later entries' kept times were, without
      // this one, so each becomes the later of its own and the one before it
      long time =
          Math.max(record.timestamp(), previous == null ? Long.MIN_VALUE : previous.timestamp());
      history.put(
          StoreNames.historyKey(id, late), new ViewVersion<>(time, state, record.value().bytes()));
      last = late;
      for (ViewVersion<V> entry : later) {
        missing += entry.version() - last - 1;
        folded = view.apply(folded, decoder.apply(entry.event()));
        state = new Versioned<>(entry.version(), missing, folded);
        time = Math.max(time, entry.timestamp());
        history.put(
            StoreNames.historyKey(id, entry.version()),
            new ViewVersion<>(time, state, entry.event()));
        last = entry.version();
      }
      lastTimes.put(id, time);
      store.put(id, state);
      moved(record, id, latest, folded);
      counters.fill();
      LOG.info(
          "Filled version {} of {} {}: {} later version(s) folded again",
          late,
          view.collection(),
          id,
          later.size());
    }

    /** Moves the view's contribution to its totals, and its ids in its indexes, to {@code next}. */
    private void moved(Record<String, Sourced<E>> record, String id, Versioned<V> current, V next) {
      for (int i = 0; i < totals.size(); i++) {
        moveTotal(totals.get(i), totalsOf.get(i), current == null ? null : current.view(), next);
      }
      for (ViewProjection.Index<V> index : indexes) {
        Set<String> before = current == null ? Set.of() : keys(index, current.view(), id);
        Set<String> after = keys(index, next, id);
        for (String key : before) {
          if (!after.contains(key)) {
            context.forward(
                record.withKey(key).withValue(new IndexChange(index.name(), id, false)));
          }
        }
        for (String key : after) {
          if (!before.contains(key)) {
            context.forward(record.withKey(key).withValue(new IndexChange(index.name(), id, true)));
          }
        }
      }
    }
  }
}
