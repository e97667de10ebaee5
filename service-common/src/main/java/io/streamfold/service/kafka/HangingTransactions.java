package io.streamfold.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts this application's hanging transactions: a partition holding an open transaction
 * that its coordinator will never finish, so no marker will ever come. The partition's last stable
 * offset stops there and every read_committed reader (the projections, a restoring partition
 * writer) waits forever. Broker restarts under load have left them behind (seen with Kafka 4.3.1,
 * single node, on a clean stop and on a kill).
 *
 * <p>The test is the one {@code kafka-transactions.sh find-hanging} applies, and nothing looser
 * (see {@link #isHanging}): a transaction open on a partition for longer than {@link
 * #MAX_TRANSACTION_TIMEOUT} whose producer id the coordinators no longer know, or whose
 * transactional id's coordinator does not list that partition. A coordinator lists every partition
 * of an ongoing transaction and, while it is preparing to commit or abort, every partition still
 * waiting for its marker: such a transaction is never touched, since its coordinator will write the
 * marker (aborting a commit whose markers are late would lose an acknowledged write). Before each
 * abort the partition is described again, and the same transaction must still be open. The sweep
 * keeps no state between runs: a failed run leaves nothing behind for the next.
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

  /**
   * How long a transaction must have been open before it is looked at: past any of our producers'
   * transaction timeouts (10 to 15 s), after which their coordinator aborts them itself. This is
   * the {@code --max-transaction-timeout} of {@code kafka-transactions.sh find-hanging}.
   */
  static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

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
    List<OpenTransaction> candidates =
        openLongerThan(
            admin.describeProducers(partitions).all().get(),
            System.currentTimeMillis(),
            MAX_TRANSACTION_TIMEOUT);
    if (candidates.isEmpty()) {
      return;
    }
    Set<Long> producerIds = new HashSet<>();
    candidates.forEach(open -> producerIds.add(open.producer().producerId()));
    Map<Long, String> transactionalIds = new HashMap<>();
    for (TransactionListing listing :
        admin
            .listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
            .all()
            .get()) {
      if (producerIds.contains(listing.producerId())) {
        transactionalIds.put(listing.producerId(), listing.transactionalId());
      }
    }
    Map<String, TransactionDescription> descriptions = describe(transactionalIds.values());
    for (OpenTransaction open : candidates) {
      String transactionalId = transactionalIds.get(open.producer().producerId());
      if (ours(open.partition(), transactionalId)
          && isHanging(open, transactionalId, descriptions.get(transactionalId))
          && stillOpen(open)) {
        abort(open.partition(), open.producer());
      }
    }
  }

  /** An open transaction on one partition, as the partition's leader describes it. */
  record OpenTransaction(TopicPartition partition, ProducerState producer) {}

  /**
   * The transactions open on their partition for longer than {@code timeout}, by the time of the
   * producer's last write there (the first filter of {@code find-hanging}).
   */
  static List<OpenTransaction> openLongerThan(
      Map<TopicPartition, PartitionProducerState> producers, long nowMs, Duration timeout) {
    List<OpenTransaction> open = new ArrayList<>();
    producers.forEach(
        (partition, state) ->
            state.activeProducers().stream()
                .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                .filter(producer -> nowMs - producer.lastTimestamp() > timeout.toMillis())
                .forEach(producer -> open.add(new OpenTransaction(partition, producer))));
    return open;
  }

  /**
   * Kafka's test: hanging when no transactional id is known for the producer id, when the
   * coordinator does not know that id, or when the coordinator's transaction does not include the
   * partition (a partition still waiting for a marker of a commit or abort is included).
   */
  static boolean isHanging(
      OpenTransaction open, String transactionalId, TransactionDescription description) {
    return transactionalId == null
        || description == null
        || !description.topicPartitions().contains(open.partition());
  }

  /**
   * Whether the transaction is this application's to abort: on our own topics only our producers
   * write transactionally, so one whose id the coordinators forgot is ours too; on {@code
   * __consumer_offsets}, only one of our transactional ids.
   */
  private boolean ours(TopicPartition partition, String transactionalId) {
    return transactionalId != null
        ? transactionalId.startsWith(transactionalIdPrefix)
        : !partition.topic().equals(OFFSETS_TOPIC);
  }

  private Map<String, TransactionDescription> describe(java.util.Collection<String> ids)
      throws Exception {
    Map<String, TransactionDescription> descriptions = new HashMap<>();
    var result = admin.describeTransactions(new HashSet<>(ids));
    for (String id : ids) {
      try {
        descriptions.put(id, result.description(id).get());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
          throw e;
        }
      }
    }
    return descriptions;
  }

  /** Whether the partition still holds the same open transaction (same producer, epoch, start). */
  private boolean stillOpen(OpenTransaction open) throws Exception {
    return admin
        .describeProducers(List.of(open.partition()))
        .partitionResult(open.partition())
        .get()
        .activeProducers()
        .stream()
        .anyMatch(
            now ->
                now.producerId() == open.producer().producerId()
                    && now.producerEpoch() == open.producer().producerEpoch()
                    && now.currentTransactionStartOffset()
                        .equals(open.producer().currentTransactionStartOffset()));
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
