/**
 * The write path: one owner per partition, one transaction per batch. Partitions are assigned to
 * instances through a consumer group ({@link io.streamfold.command.writer.Ownership}); the owner of
 * a partition runs its {@link io.streamfold.command.writer.PartitionWriter}, which fences every
 * previous owner with the partition's transactional id, restores the version table and the
 * idempotency records from their compacted topics into a local RocksDB store, checks them against
 * the event log from the partition's {@link io.streamfold.command.writer.Mark} and repairs what
 * disagrees ({@link io.streamfold.command.writer.Reconciler}: the log is the truth), then decides
 * queued commands in batches and commits each batch's events, version rows and idempotency records
 * in one transaction before answering any of them.
 *
 * <p>Domain-agnostic: it knows aggregates only through {@link io.streamfold.command.aggregate}.
 * Depends on {@code aggregate}, {@code domain}, the {@code schemas} core records, Kafka clients and
 * RocksDB; never on {@code http}.
 */
package io.streamfold.command.writer;
