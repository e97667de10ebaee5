package io.streamfold.command.writer;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * What every partition writer of one aggregate type shares.
 *
 * @param applicationId names the ownership group and prefixes the transactional ids
 * @param clientProperties the base of every Kafka client's configuration
 * @param stores opens the local store of a partition
 * @param maxBatch the most commands decided and committed in one transaction
 * @param queueCapacity the most commands waiting for one partition; beyond it, 503
 * @param completions where requests' futures complete, off the writers' threads
 * @param visibility confirms that committed batches are readable before they are answered
 * @param inbox reads the inbox of every partition served here
 */
record WriterContext<C, E, S>(
    Aggregate<C, E, S> aggregate,
    Topics topics,
    String applicationId,
    Properties clientProperties,
    CoreSerdes serdes,
    Clock clock,
    Duration idempotencyWindow,
    IntFunction<LocalStore> stores,
    int maxBatch,
    int queueCapacity,
    WriterMetrics metrics,
    Executor completions,
    Visibility visibility,
    Inbox inbox) {

  /** {@code <application id>-<collection>-<partition>}: names a partition's Kafka clients. */
  String transactionalId(int partition) {
    return applicationId + "-" + aggregate.collection() + "-" + partition;
  }

  /** Where a partition's store lives under the state directory. */
  static Path storeDir(Path stateDir, String collection, int partition) {
    return stateDir.resolve(collection).resolve(Integer.toString(partition));
  }
}
