package io.streamfold.projection.events;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catch-up subscriptions to the event log over HTTP: {@code GET /api/v1/events} with {@code Accept:
 * text/event-stream} (Server-Sent Events). Each subscriber gets its own read_committed consumer,
 * outside any group, assigned every partition of the chosen collections' events topics, on a thread
 * of its own: only committed events, in log order per partition, so in order per aggregate (an
 * aggregate's events share a partition) and in no defined order across aggregates.
 *
 * <p>Every event carries an SSE {@code id:} that is the position right after it ({@link Position});
 * {@code Last-Event-ID} (sent by an SSE client when it reconnects) or {@code from=} resumes right
 * after that event, on any instance, with nothing lost or repeated. {@code from=start} and {@code
 * from=end} (the default) start at either end of the log. When nothing passes the filters for
 * {@code heartbeat}, the subscriber gets a message with only an {@code id:} (SSE clients take it as
 * their new last event id, so a resume skips what was filtered out).
 *
 * <p>A subscriber catches up with its own consumer; once it has, it reads the {@link LiveTail}
 * instead, one consumer for every subscriber at the head of the log (one tail for each set of
 * collections subscribed to), and each event is decoded and rendered once for all of them ({@link
 * Rendered}).
 *
 * <p>Nothing is buffered for a slow subscriber beyond one poll (or the live tail's fixed ring) and
 * the socket: the thread writes each event and blocks while the client does not read; when it has
 * blocked for {@code writeTimeout}, the connection is closed and the subscriber resumes from the
 * last id it received.
 */
public final class Subscriptions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
  private static final String UNDECODABLE = "undecodable";

  /**
   * A collection whose events can be subscribed to.
   *
   * @param decoder decodes one of its events (registry wire format) to its envelope; throws {@link
   *     SerializationException} for bad data
   * @param types the payload types of its envelope, for the {@code types=} filter; null when this
   *     service does not know them (a plug-in whose views do not name them): any name is then taken
   * @param byDefault subscribed to when the request names no collection (the first view's: the
   *     accounts' with the bank; the others are subscribed to by name)
   */
  public record Collection(
      String name,
      String topic,
      Function<byte[], ? extends IndexedRecord> decoder,
      List<String> types,
      boolean byDefault) {}

  private final Properties clientProperties;
  private final Map<String, Collection> collections = new LinkedHashMap<>();
  private final Semaphore slots;
  private final Duration writeTimeout;
  private final Duration heartbeat;
  private final ExecutorService threads;
  private final AtomicInteger active = new AtomicInteger();
  private final Rendered rendered = new Rendered();
  private final Object tailLock = new Object();
  private final Map<Set<String>, LiveTail> tails = new HashMap<>(); // guarded by tailLock
  private final AtomicInteger numbered = new AtomicInteger();
  private volatile boolean closed;

  private final PersonalData personal;

  /**
   * @param maxSubscribers more at once are refused with 503
   * @param writeTimeout how long a write to a subscriber that does not read may block
   */
  public Subscriptions(
      Properties clientProperties,
      List<Collection> collections,
      int maxSubscribers,
      Duration writeTimeout,
      PersonalData personal) {
    this.clientProperties = clientProperties;
    this.personal = personal;
    collections.forEach(c -> this.collections.put(c.name(), c));
    this.slots = new Semaphore(maxSubscribers);
    this.writeTimeout = writeTimeout;
    this.heartbeat =
        writeTimeout.dividedBy(3).compareTo(Duration.ofSeconds(15)) < 0
            ? writeTimeout.dividedBy(3)
            : Duration.ofSeconds(15);
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "subscriber-" + numbered.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/events", this::subscribe);
  }

  /** Subscribers connected now. */
  public int active() {
    return active.get();
  }

  private void subscribe(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ProblemException(
          Problem.of(
              406,
              "not-acceptable",
              "Not acceptable",
              "A subscription is a stream of Server-Sent Events: send Accept: text/event-stream"));
    }
    List<Collection> chosen = chosen(ctx.queryParam("collection"));
    Set<String> wanted = wanted(ctx.queryParam("types"), chosen);
    String lastEventId = ctx.header("Last-Event-ID");
    String from =
        lastEventId != null && !lastEventId.isBlank() ? lastEventId : ctx.queryParam("from");
    if (from == null || from.isBlank()) {
      from = "end";
    }
    if (from.length() > 4_096) {
      throw ProblemException.badRequest("invalid-position", "Invalid position: too long");
    }
    if (closed || !slots.tryAcquire()) {
      throw ProblemException.unavailable(
          "too-many-subscribers", "This instance serves as many subscribers as it may", 5);
    }
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      consumer = consumer();
      Map<String, long[]> position = start(consumer, chosen, from);
      ctx.status(200)
          .contentType("text/event-stream; charset=utf-8")
          .header("Cache-Control", "no-cache")
          .header("X-Accel-Buffering", "no");
      org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req())
          .getConnectionMetaData()
          .getConnection()
          .getEndPoint()
          .setIdleTimeout(writeTimeout.toMillis());
      KafkaConsumer<byte[], byte[]> mine = consumer;
      consumer = null; // the subscriber's thread closes it now
      active.incrementAndGet();
      ctx.future(
          () ->
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      stream(ctx, mine, wanted, position);
                    } finally {
                      mine.close(Duration.ofSeconds(1));
                      active.decrementAndGet();
                      slots.release();
                    }
                  },
                  threads));
    } catch (KafkaException e) {
      throw ProblemException.unavailable(
          "kafka-unavailable", "The event log cannot be read now: " + e.getMessage(), 5);
    } finally {
      if (consumer != null) {
        consumer.close(Duration.ZERO);
        slots.release();
      }
    }
  }

  private List<Collection> chosen(String collection) {
    if (collection == null || collection.isBlank()) {
      return defaults();
    }
    Collection known = collections.get(collection);
    if (known == null) {
      throw ProblemException.badRequest(
          "unknown-collection",
          "No collection " + truncated(collection) + "; there are " + collections.keySet());
    }
    return List.of(known);
  }

  /** The collections subscribed to when none is named. */
  private List<Collection> defaults() {
    return collections.values().stream().filter(Collection::byDefault).toList();
  }

  /**
   * The types asked for; a name is refused when every chosen collection knows its types and none
   * has it.
   */
  private Set<String> wanted(String filter, List<Collection> chosen) {
    if (filter == null || filter.isBlank()) {
      return null;
    }
    boolean known = chosen.stream().allMatch(c -> c.types() != null);
    List<String> types =
        chosen.stream().filter(c -> c.types() != null).flatMap(c -> c.types().stream()).toList();
    Set<String> wanted = new LinkedHashSet<>();
    for (String type : filter.split(",", -1)) { // "types=," names no type: refused, not "none"
      String name = type.trim();
      if (name.isEmpty() || (known && !types.contains(name))) {
        throw ProblemException.badRequest(
            "unknown-event-type", "No event type " + truncated(name) + "; there are " + types);
      }
      wanted.add(name);
    }
    return wanted;
  }

  private static String truncated(String text) {
    return '"' + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + '"';
  }

  /** Assigns the collections' partitions and seeks to where the subscriber starts. */
  private Map<String, long[]> start(
      KafkaConsumer<byte[], byte[]> consumer, List<Collection> chosen, String from) {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    List<TopicPartition> assigned = new ArrayList<>();
    for (Collection c : chosen) {
      int count = consumer.partitionsFor(c.topic(), Duration.ofSeconds(10)).size();
      partitions.put(c.name(), count);
      for (int p = 0; p < count; p++) {
        assigned.add(new TopicPartition(c.topic(), p));
      }
    }
    consumer.assign(assigned);
    Map<TopicPartition, Long> first = consumer.beginningOffsets(assigned, Duration.ofSeconds(10));
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
    Map<String, long[]> position = new LinkedHashMap<>();
    Position asked =
        from.equals("start") || from.equals("end") ? null : Position.parse(from, partitions);
    for (Collection c : chosen) {
      long[] offsets = new long[partitions.get(c.name())];
      for (int p = 0; p < offsets.length; p++) {
        TopicPartition tp = new TopicPartition(c.topic(), p);
        long offset =
            asked == null
                ? (from.equals("start") ? first.get(tp) : end.get(tp))
                : asked.of(c.name())[p];
        if (offset > end.get(tp)) {
          throw ProblemException.badRequest(
              "invalid-position",
              "Invalid position: it is ahead of the log (partition "
                  + p
                  + " of "
                  + c.name()
                  + " ends at "
                  + end.get(tp)
                  + ")");
        }
        offsets[p] = Math.max(offset, first.get(tp));
        consumer.seek(tp, offsets[p]);
      }
      position.put(c.name(), offsets);
    }
    return position;
  }

  private void stream(
      Context ctx,
      KafkaConsumer<byte[], byte[]> consumer,
      Set<String> wanted,
      Map<String, long[]> position) {
    Map<String, String> names = new LinkedHashMap<>();
    collections.values().forEach(c -> names.put(c.topic(), c.name()));
    LiveTail tail = tail(position.keySet()); // the live tail of the collections subscribed to
    long seq = -1; // reading the live tail's ring from here, or -1: reading its own consumer
    try {
      OutputStream out = ctx.res().getOutputStream();
      String sent = Position.token(position);
      out.write(("retry: 1000\nid: " + sent + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      long lastWrite = System.nanoTime();
      while (!closed) {
        boolean wrote = false;
        if (seq < 0) {
          var records = consumer.poll(Duration.ofMillis(250));
          for (ConsumerRecord<byte[], byte[]> record : records) {
            String collection = names.get(record.topic());
            position.get(collection)[record.partition()] = record.offset() + 1;
            if (record.value() != null) {
              Rendered.Event event = rendered(collection, record);
              String id = write(out, wanted, event.type(), event.json(), position);
              if (id != null) {
                sent = id;
                wrote = true;
              }
            }
          }
          if (records.isEmpty()) { // caught up with the log: past markers, then onto the tail
            for (TopicPartition partition : consumer.assignment()) {
              long[] offsets = position.get(names.get(partition.topic()));
              offsets[partition.partition()] =
                  Math.max(offsets[partition.partition()], consumer.position(partition));
            }
            seq = tail == null ? -1 : tail.join(position);
          }
        } else {
          LiveTail.Batch batch = tail.next(seq, Duration.ofMillis(250));
          if (batch == LiveTail.FELL_BEHIND) { // back to its own consumer, from where it is
            seq = -1;
            for (TopicPartition partition : consumer.assignment()) {
              consumer.seek(
                  partition, position.get(names.get(partition.topic()))[partition.partition()]);
            }
            continue;
          }
          for (LiveTail.Frame frame : batch.frames()) {
            long[] offsets = position.get(frame.collection());
            if (frame.offset() < offsets[frame.partition()]) {
              continue; // the subscriber had it before joining
            }
            offsets[frame.partition()] = frame.offset() + 1;
            String id = write(out, wanted, frame.type(), frame.json(), position);
            if (id != null) {
              sent = id;
              wrote = true;
            }
          }
          // every frame up to the tail's head is handled: the position may pass markers with it
          batch
              .head()
              .forEach(
                  (collection, head) -> {
                    long[] offsets = position.get(collection);
                    for (int p = 0; p < offsets.length; p++) {
                      offsets[p] = Math.max(offsets[p], head[p]);
                    }
                  });
          seq = batch.next();
        }
        long now = System.nanoTime();
        if (wrote) {
          out.flush();
          lastWrite = now;
        } else if (now - lastWrite > heartbeat.toNanos()) {
          String here = Position.token(position);
          out.write(
              here.equals(sent)
                  ? KEEP_ALIVE
                  : ("id: " + here + "\n\n").getBytes(StandardCharsets.UTF_8));
          sent = here;
          out.flush();
          lastWrite = now;
        }
      }
    } catch (IOException e) {
      LOG.debug("Subscriber gone or too slow: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("Subscription ended by an error; the subscriber may resume from its last id", e);
    }
  }

  /**
   * Writes one event, its id the position after it, unless the type filter drops it (an undecodable
   * record is always written); returns the id written, or null.
   */
  private static String write(
      OutputStream out, Set<String> wanted, String type, byte[] json, Map<String, long[]> position)
      throws IOException {
    if (wanted != null && !wanted.contains(type) && !type.equals(UNDECODABLE)) {
      return null;
    }
    String id = Position.token(position);
    out.write(("id: " + id + "\nevent: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    out.write(json);
    out.write('\n');
    out.write('\n');
    return id;
  }

  /**
   * The live tail of these collections (one for each set subscribers ask for: the default
   * collection, another by name, both), started by its first subscriber and kept; null if it cannot
   * be started now.
   */
  private LiveTail tail(Set<String> names) {
    synchronized (tailLock) {
      LiveTail tail = tails.get(names);
      if (tail == null && !closed) {
        Map<String, String> topics = new LinkedHashMap<>();
        collections.values().stream()
            .filter(c -> names.contains(c.name()))
            .forEach(c -> topics.put(c.topic(), c.name()));
        KafkaConsumer<byte[], byte[]> consumer = consumer(true);
        try {
          tail = new LiveTail(consumer, topics, this::rendered, 8_192);
          tails.put(Set.copyOf(names), tail);
        } catch (RuntimeException e) {
          consumer.close(Duration.ZERO);
          LOG.warn("Could not start the live tail; subscribers read their own consumers", e);
        }
      }
      return tail;
    }
  }

  /** Live tails running: one for each set of collections subscribers have asked for. */
  public int liveTails() {
    synchronized (tailLock) {
      return tails.size();
    }
  }

  /** The record decoded and rendered, by this subscriber or by another one lately. */
  private Rendered.Event rendered(String collection, ConsumerRecord<byte[], byte[]> record) {
    Rendered.Event done = rendered.get(record.topic(), record.partition(), record.offset());
    if (done != null) {
      return done;
    }
    try {
      IndexedRecord event = collections.get(collection).decoder().apply(record.value());
      done =
          new Rendered.Event(
              record.offset(),
              EventJson.type(event),
              EventJson.render(collection, event, personal));
    } catch (SerializationException e) {
      done = new Rendered.Event(record.offset(), UNDECODABLE, undecodable(collection, record, e));
    }
    rendered.put(record.topic(), record.partition(), done);
    return done;
  }

  /**
   * What a subscriber gets for a record that is not a readable event (the projections dead-letter
   * it).
   */
  private static byte[] undecodable(
      String collection, ConsumerRecord<byte[], byte[]> record, SerializationException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("collection", collection);
    body.put("partition", record.partition());
    body.put("offset", record.offset());
    body.put("error", e.getMessage());
    return io.streamfold.service.http.Json.bytes(body);
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return consumer(false);
  }

  private KafkaConsumer<byte[], byte[]> consumer(boolean live) {
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // a bounded fetch per subscriber: a hundred of them catching up from the start of the log must
    // not hold a hundred default fetches (50 MB each at most) on the heap
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1 << 20);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 << 10);
    // a subscriber's own fetch waits up to 100 ms for 64 KiB (it reads its own consumer only while
    // it catches up); the live tail's returns as soon as there is anything
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, live ? 1 : 64 << 10);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamfold-subscriber-" + numbered.get());
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Ends every subscription (each client may resume elsewhere with its last id). */
  @Override
  public void close() {
    closed = true;
    synchronized (tailLock) {
      tails.values().forEach(LiveTail::close);
    }
    threads.shutdown();
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.shutdownNow();
  }
}
