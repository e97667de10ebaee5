package io.streamfold.command.writer;

import java.util.Map;

/**
 * A partition's local copy of its version table and idempotency records, complete up to its
 * checkpoint; values are the records' bytes exactly as on their topics. {@link PartitionStore} is
 * the one implementation; tests wrap it to inject failures.
 */
interface LocalStore extends AutoCloseable {

  /** The version row of {@code aggregateId}, or null. */
  byte[] version(String aggregateId);

  /** Every version row (aggregate id, row), in key order; for a take-over's scan of deadlines. */
  void forEachVersion(java.util.function.BiConsumer<String, byte[]> action);

  /** The idempotency record under {@code key} (aggregate id and client key), or null. */
  byte[] idempotency(String key);

  PartitionStore.Checkpoint checkpoint();

  /** Writes rows, records and the checkpoint they bring the store to, atomically. */
  void apply(
      Map<String, byte[]> versionRows,
      Map<String, byte[]> idempotencyRecords,
      PartitionStore.Checkpoint to);

  @Override
  void close();
}
