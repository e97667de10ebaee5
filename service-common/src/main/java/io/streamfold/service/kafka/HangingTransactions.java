package io.streamfold.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts this application's hanging transactions: a partition holding an open transaction
 * of one of our producers that its coordinator has already finished. Such a transaction never gets
 * its marker, so the partition's last stable offset stops there and every read_committed reader
 * (the projections, a restoring partition writer or store) waits forever. Broker restarts under
 * load leave them behind (seen with Kafka 4.3.1, single node, both on a clean stop and on a kill);
 * {@code kafka-transactions.sh find-hanging}/{@code abort} is the manual remedy, this is the same
 * with the same test, run every 15 s.
 *
 * <p>A transaction counts as hanging only when all hold: its transactional id belongs to this
 * application; the coordinator's transaction for that producer id has moved to a later epoch; and
 * consecutive sweeps have seen it open for twice its transaction timeout. Aborting it loses nothing
 * acknowledged: the coordinator never committed it (a commit writes its intent before it answers,
 * and would have resent the markers), so its input offsets were not committed either and the work
 * is redone.
 */
public final class HangingTransactions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);
  private static final Duration EVERY = Duration.ofSeconds(15);

  /**
   * Where a transaction's input offsets wait for its marker: a hanging one there makes every
   * committed-offset fetch of the group answer "unstable" until it times out.
   */
  private static final String OFFSETS_TOPIC = "__consumer_offsets";

  private final Admin admin;
  private final String transactionalIdPrefix;
  private final Predicate<String> ourTopics;
  private final ScheduledExecutorService timer;
  private final AtomicLong aborted = new AtomicLong();
  private volatile boolean permitted = true;

  /** Open transactions of a left-behind epoch, and when each was first seen (nanoTime). */
  private final Map<String, Long> suspects = new HashMap<>();

  /**
   * @param transactionalIdPrefix the application id followed by '-': Kafka Streams names its
   *     producers {@code <application.id>-<process id>-<thread>}
   * @param ourTopics the topics this application writes transactionally ({@code
   *     __consumer_offsets}, where its offsets are committed, is always looked at too)
   */
  public HangingTransactions(
      Properties clientProperties, String transactionalIdPrefix, Predicate<String> ourTopics) {
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamfold-hanging-transactions");
    this.admin = Admin.create(config);
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.ourTopics = ourTopics;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "hanging-transactions");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::sweepQuietly, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The sweep for the Kafka Streams application of {@code config}: its producers are named {@code
   * <application.id>-<process id>-<thread>}, and its internal topics {@code <application.id>-…}.
   *
   * @param writtenTopics the application's other topics written in its transactions
   */
  public static HangingTransactions of(
      StreamsInstanceConfig config, Predicate<String> writtenTopics) {
    String prefix = config.applicationId() + "-";
    return new HangingTransactions(
        config.clientProperties(),
        prefix,
        topic -> topic.startsWith(prefix) || writtenTopics.test(topic));
  }

  /** How many hanging transactions this instance has aborted. */
  public long aborted() {
    return aborted.get();
  }

  private void sweepQuietly() {
    if (!permitted) {
      return;
    }
    try {
      sweep();
    } catch (Exception e) {
      if (e.getCause() instanceof ClusterAuthorizationException
          || e.getCause() instanceof TransactionalIdAuthorizationException) {
        permitted = false;
        LOG.warn(
            "Not permitted to look for or abort hanging transactions ({}); grant this principal"
                + " DescribeTransactions and ClusterAction, or use kafka-transactions.sh",
            e.getCause().getMessage());
      } else {
        LOG.debug("Hanging-transaction sweep failed; next try in {}", EVERY, e);
      }
    }
  }

  /** One pass: find this application's hanging transactions and abort them. */
  void sweep() throws Exception {
    List<String> ids = new ArrayList<>();
    for (TransactionListing listing : admin.listTransactions().all().get()) {
      if (listing.transactionalId().startsWith(transactionalIdPrefix)) {
        ids.add(listing.transactionalId());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    Map<Long, TransactionDescription> byProducer = new HashMap<>();
    admin
        .describeTransactions(ids)
        .all()
        .get()
        .values()
        .forEach(description -> byProducer.put(description.producerId(), description));
    List<TopicPartition> partitions = new ArrayList<>();
    Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
    for (TopicDescription topic :
        admin
            .describeTopics(
                topics.stream()
                    .filter(topic -> ourTopics.test(topic) || topic.equals(OFFSETS_TOPIC))
                    .toList())
            .allTopicNames()
            .get()
            .values()) {
      topic
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
    }
    long now = System.nanoTime();
    Map<String, Long> stillOpen = new HashMap<>();
    for (var entry : admin.describeProducers(partitions).all().get().entrySet()) {
      for (ProducerState producer : entry.getValue().activeProducers()) {
        TransactionDescription current = byProducer.get(producer.producerId());
        if (!coordinatorMovedOn(producer, current)) {
          continue;
        }
        String key = entry.getKey() + "/" + producer.producerId() + "/" + producer.producerEpoch();
        long since = suspects.getOrDefault(key, now);
        stillOpen.put(key, since);
        if (now - since > TimeUnit.MILLISECONDS.toNanos(2L * current.transactionTimeoutMs())) {
          abort(entry.getKey(), producer);
          stillOpen.remove(key);
        }
      }
    }
    suspects.clear();
    suspects.putAll(stillOpen);
  }

  /**
   * Whether the partition holds an open transaction of an epoch the coordinator has left behind:
   * the coordinator bumps the epoch when a transaction ends (transactions v2) or the producer
   * re-initialises, so that transaction can never get its marker. A transaction of the current
   * epoch is never a suspect, whatever its age: it may be live.
   */
  static boolean coordinatorMovedOn(ProducerState producer, TransactionDescription current) {
    return current != null
        && producer.currentTransactionStartOffset().isPresent()
        && current.producerEpoch() > producer.producerEpoch();
  }

  private void abort(TopicPartition partition, ProducerState producer) throws Exception {
    LOG.warn(
        "Aborting a hanging transaction on {}: producer {} epoch {}, open since offset {}",
        partition,
        producer.producerId(),
        producer.producerEpoch(),
        producer.currentTransactionStartOffset().getAsLong());
    admin
        .abortTransaction(
            new AbortTransactionSpec(
                partition,
                producer.producerId(),
                (short) producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(-1)))
        .all()
        .get();
    aborted.incrementAndGet();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
