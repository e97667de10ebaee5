package io.streamfold.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys in a compacted topic of one partition, every instance holding an index of it that a
 * thread keeps up to date by tailing it (as a global table), with the unwrapped keys of recently
 * used subjects in a bounded cache.
 *
 * <p>Records: {@code <subject>/<key id>} → the key wrapped by the {@link KeyEncryptionKey} (bound
 * to the subject and the key id); {@code <subject>/!erased} → when the subject was forgotten, a
 * marker that stays. One partition gives every instance the same order, which settles races: two
 * instances creating a subject's first key at once both keep theirs (records of distinct keys), and
 * a key whose record follows the subject's erasure marker is never used (its creator sees the
 * marker first, fails and tombstones it). Forgetting writes the marker, reads up to it, then
 * tombstones every key of the subject; the compaction settings ({@link #topicConfig}) bound how
 * long the destroyed keys stay on the broker's disks.
 *
 * <p>The index holds every subject's wrapped keys in memory (about 150 bytes a subject): fine for
 * millions of subjects, not for hundreds of millions (a local RocksDB index would be the next
 * step).
 */
public final class KafkaDataKeys implements DataKeys, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDataKeys.class);
  private static final String ERASED = "!erased";
  private static final String HEARTBEAT = "!heartbeat";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String topic;
  private final TopicPartition partition;
  private final KeyEncryptionKey kek;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final Thread tailer;
  private final java.util.concurrent.ScheduledExecutorService heartbeat;
  private final int cacheSize;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /** The index: subject → its keys and erasure; guarded by itself, written by the tailer. */
  private final Map<String, Subject> subjects = new HashMap<>();

  /**
   * Unwrapped keys by subject and key id, at most {@code cacheSize} (the oldest go first when it is
   * full). Read without a lock: every read of a personal value looks its key up here.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, DataKey> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.List<java.util.function.Consumer<String>> erasureListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The cache's keys in the order they were cached; guarded by itself. */
  private final java.util.ArrayDeque<String> cached = new java.util.ArrayDeque<>();

  /** The tailer's position: everything before it is in the index. Guarded by {@link #subjects}. */
  private long position;

  private static final class Subject {
    final Map<String, Long> offsets = new HashMap<>();
    final Map<String, byte[]> wrapped = new HashMap<>();
    long erasedAt = -1;
  }

  /**
   * @param clients Kafka client settings (bootstrap servers, security)
   * @param erasureWindow how long a destroyed key may stay on the brokers' disks at most (sets the
   *     topic's compaction when it is created here)
   */
  public KafkaDataKeys(
      Properties clients,
      String topic,
      KeyEncryptionKey kek,
      int cacheSize,
      short replication,
      Duration erasureWindow) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.kek = kek;
    this.cacheSize = cacheSize;
    this.admin = Admin.create(clients);
    ensureTopic(admin, topic, replication, erasureWindow);
    Properties producerConfig = new Properties();
    producerConfig.putAll(clients);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "data-keys-" + topic);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    Properties consumerConfig = new Properties();
    consumerConfig.putAll(clients);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    this.tailer = new Thread(this::tail, "data-keys-" + topic);
    this.tailer.setDaemon(true);
    this.tailer.start();
    long half = Math.max(1_000, erasureWindow.toMillis() / 2);
    this.heartbeat =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "data-keys-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    heartbeat.scheduleWithFixedDelay(this::beat, half, half, TimeUnit.MILLISECONDS);
  }

  /** A write, so that the segment holding destroyed keys rolls and is compacted in time. */
  private void beat() {
    try {
      producer.send(
          new ProducerRecord<>(
              topic,
              0,
              HEARTBEAT,
              Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      LOG.debug("Heartbeat to {} failed", topic, e);
    }
  }

  /**
   * The keys topic's settings: compacted, one record per key, and a destroyed key gone from the
   * brokers' disks within about {@code window}: a segment rolls at the first write after half of it
   * ({@code segment.ms}, {@code max.compaction.lag.ms}; a broker rolls only on a write, so every
   * instance writes a heartbeat record each half window), the log cleaner then compacts it (within
   * its back-off, {@code log.cleaner.backoff.ms}, 15 s by default) and the old segment's file is
   * deleted a second later ({@code file.delete.delay.ms}). The tombstones themselves, which hold no
   * key, go after another {@code window} ({@code delete.retention.ms}).
   */
  public static Map<String, String> topicConfig(Duration window) {
    long half = Math.max(1_000, window.toMillis() / 2);
    return Map.of(
        "cleanup.policy", "compact",
        "segment.ms", Long.toString(half),
        "max.compaction.lag.ms", Long.toString(half),
        "min.compaction.lag.ms", "0",
        "min.cleanable.dirty.ratio", "0.01",
        "delete.retention.ms", Long.toString(window.toMillis()),
        "file.delete.delay.ms", "1000");
  }

  private static void ensureTopic(Admin admin, String topic, short replication, Duration window) {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, replication).configs(topicConfig(window))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create the keys topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Cannot create the keys topic " + topic, e);
    }
  }

  @Override
  public DataKey current(String subjectId) {
    String newest = null;
    awaitCaughtUp();
    synchronized (subjects) {
      Subject subject = subjects.get(subjectId);
      if (subject != null) {
        if (subject.erasedAt >= 0) {
          throw new SubjectErasedException(subjectId);
        }
        long best = -1;
        for (Map.Entry<String, Long> key : subject.offsets.entrySet()) {
          if (key.getValue() > best) {
            best = key.getValue();
            newest = key.getKey();
          }
        }
      }
    }
    return newest != null ? find(subjectId, newest) : create(subjectId);
  }

  private DataKey create(String subjectId) {
    byte[] raw = Aes.randomKey();
    String keyId = HexFormat.of().formatHex(Aes.randomKey(), 0, 8);
    long offset = write(subjectId + "/" + keyId, wrap(subjectId, keyId, raw));
    synchronized (subjects) {
      awaitPosition(offset + 1);
      Subject subject = subjects.get(subjectId);
      if (subject != null && subject.erasedAt >= 0 && subject.erasedAt < offset) {
        write(subjectId + "/" + keyId, null); // forgotten meanwhile: this key is never used
        throw new SubjectErasedException(subjectId);
      }
    }
    DataKey key = new DataKey(subjectId, keyId, Aes.key(raw));
    remember(key);
    return key;
  }

  @Override
  public DataKey find(String subjectId, String keyId) {
    DataKey hit = cache.get(subjectId + "/" + keyId);
    if (hit != null) {
      return hit;
    }
    byte[] wrapped;
    synchronized (subjects) {
      wrapped = lookup(subjectId, keyId);
    }
    if (wrapped == null) {
      awaitCaughtUp(); // created by another instance a moment ago?
      synchronized (subjects) {
        wrapped = lookup(subjectId, keyId);
      }
    }
    if (wrapped == null) {
      throw new CryptoException(
          "No key " + keyId + " of subject " + subjectId + " in " + topic + " (keys lost?)");
    }
    DataKey key = new DataKey(subjectId, keyId, Aes.key(unwrap(subjectId, keyId, wrapped)));
    remember(key);
    return key;
  }

  /** Null when the key is not (yet) known; throws when the subject was forgotten. */
  private byte[] lookup(String subjectId, String keyId) {
    Subject subject = subjects.get(subjectId);
    if (subject != null && subject.erasedAt >= 0) {
      throw new SubjectErasedException(subjectId);
    }
    return subject == null ? null : subject.wrapped.get(keyId);
  }

  @Override
  public void forget(String subjectId) {
    long marker =
        write(
            subjectId + "/" + ERASED,
            Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
    List<String> keyIds;
    synchronized (subjects) {
      awaitPosition(marker + 1); // every key created before the marker is in the index now
      Subject subject = subjects.get(subjectId);
      keyIds = subject == null ? List.of() : List.copyOf(subject.offsets.keySet());
    }
    long last = marker;
    for (String keyId : keyIds) {
      last = write(subjectId + "/" + keyId, null);
    }
    synchronized (subjects) {
      awaitPosition(last + 1);
    }
    evict(subjectId);
    LOG.info("Forgot subject {}: {} key(s) destroyed", subjectId, keyIds.size());
  }

  @Override
  public void onErasure(java.util.function.Consumer<String> listener) {
    erasureListeners.add(listener);
  }

  @Override
  public boolean isErased(String subjectId) {
    awaitCaughtUp();
    synchronized (subjects) {
      Subject subject = subjects.get(subjectId);
      return subject != null && subject.erasedAt >= 0;
    }
  }

  private byte[] wrap(String subjectId, String keyId, byte[] raw) {
    return new Envelope(kek.id(), kek.wrap(raw, binding(subjectId, keyId))).pack();
  }

  private byte[] unwrap(String subjectId, String keyId, byte[] record) {
    Envelope wrapped = Envelope.unpack(record, "Key " + subjectId + "/" + keyId);
    if (!wrapped.id().equals(kek.id())) {
      throw new CryptoException(
          "Key "
              + subjectId
              + "/"
              + keyId
              + " was wrapped by key-encryption key "
              + wrapped.id()
              + ", not by the configured "
              + kek.id());
    }
    return kek.unwrap(wrapped.body(), binding(subjectId, keyId));
  }

  private static byte[] binding(String subjectId, String keyId) {
    return ("streamfold.key\u0000" + subjectId + "\u0000" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private long write(String key, byte[] value) {
    return await(
            producer.send(new ProducerRecord<>(topic, 0, key, value)),
            "Cannot write to the keys topic " + topic)
        .offset();
  }

  /** The future's value, within {@link #WAIT}; {@code failure} says what did not happen. */
  private static <T> T await(java.util.concurrent.Future<T> future, String failure) {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(failure, e);
    }
  }

  /**
   * Caches a key just unwrapped or created. Checked against the index afterwards: a subject
   * forgotten while its key was being unwrapped either is seen here (the key leaves at once) or was
   * not yet, and then the tailer's eviction, which follows marking it erased, removes it.
   */
  private void remember(DataKey key) {
    String id = key.subjectId() + "/" + key.keyId();
    if (cache.put(id, key) == null) {
      synchronized (cached) {
        cached.addLast(id);
        while (cached.size() > cacheSize) {
          cache.remove(cached.removeFirst());
        }
      }
    }
    synchronized (subjects) {
      Subject subject = subjects.get(key.subjectId());
      if (subject != null && subject.erasedAt >= 0) {
        cache.remove(id);
        throw new SubjectErasedException(key.subjectId());
      }
    }
  }

  private void evict(String subjectId) {
    cache.keySet().removeIf(k -> k.startsWith(subjectId + "/"));
  }

  /** Waits, holding {@link #subjects}, until the index holds everything before {@code offset}. */
  private void awaitPosition(long offset) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (position < offset) {
      if (failure != null) {
        throw new IllegalStateException("The keys topic cannot be read", failure);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "The keys topic " + topic + " was not read up to " + offset + " in " + WAIT);
      }
      try {
        subjects.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted", e);
      }
    }
  }

  /** Waits until the index holds everything written to the topic before this call. */
  private void awaitCaughtUp() {
    // asked without holding the index, so the tailer goes on applying records meanwhile
    long end =
        await(
                admin
                    .listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .partitionResult(partition),
                "Cannot read the end of the keys topic " + topic)
            .offset();
    synchronized (subjects) {
      awaitPosition(end);
    }
  }

  private void tail() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(200));
        synchronized (subjects) {
          for (ConsumerRecord<String, byte[]> record : records) {
            apply(record);
          }
          position = consumer.position(partition);
          subjects.notifyAll();
        }
      }
    } catch (WakeupException stopping) {
      // closed
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("The keys topic {} cannot be read", topic, e);
      synchronized (subjects) {
        subjects.notifyAll();
      }
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String key = record.key();
    int slash = key == null ? -1 : key.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String subjectId = key.substring(0, slash);
    String keyId = key.substring(slash + 1);
    Subject subject = subjects.computeIfAbsent(subjectId, s -> new Subject());
    if (keyId.equals(ERASED)) {
      if (record.value() != null && subject.erasedAt < 0) {
        subject.erasedAt = record.offset();
        subject.wrapped.clear(); // never unwrapped again; forget() still tombstones them
        evict(subjectId);
        for (java.util.function.Consumer<String> listener : erasureListeners) {
          listener.accept(subjectId);
        }
      }
    } else if (record.value() == null) {
      subject.offsets.remove(keyId);
      subject.wrapped.remove(keyId);
    } else if (subject.erasedAt < 0) {
      subject.offsets.put(keyId, record.offset());
      subject.wrapped.put(keyId, record.value());
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    running = false;
    consumer.wakeup();
    try {
      tailer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ZERO);
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
