/**
 * The write path: one owner per partition, one transaction per round of a lane. Partitions are
 * assigned to instances through a consumer group ({@link io.streamfold.command.writer.Ownership}).
 * The owner of a partition runs its {@link io.streamfold.command.writer.PartitionWriter}, which
 * fences the partition's previous writer unless it released the partition, claims it ({@link
 * io.streamfold.command.writer.Claim}), waits until no transaction on it is undecided, restores the
 * version table and the idempotency records from their compacted topics into a local RocksDB store,
 * checks them against the event log from the partition's {@link io.streamfold.command.writer.Mark}
 * and repairs what disagrees ({@link io.streamfold.command.writer.Reconciler}: the log is the
 * truth), then serves. A lane of the instance ({@link io.streamfold.command.writer.Committer}, one
 * per core) takes the queued commands of every partition of the lane it serves, decides each
 * partition's in order, and commits the round's events, version rows and idempotency records in one
 * transaction before answering any of them.
 *
 * <p>Why one transaction per round of a lane rather than per partition (the design's first form,
 * with a transactional id per partition): a transaction costs the broker the same whatever the
 * number of partitions it writes, so an instance owning six partitions paid six times what it
 * needed ({@code bench/profiles/2026-12-02-transaction-cost/}). Kafka Streams made the same move in
 * exactly-once v2 (KIP-447), for the same reason.
 *
 * <p>Processes (sagas): an aggregate with a {@link io.streamfold.command.domain.Process} talks to
 * other aggregates through their inboxes ({@code <collection>.inbox}). The messages an accepted
 * decision sends are written in its transaction; the owner of a partition reads the partition's
 * inbox ({@link io.streamfold.command.writer.Inbox}) from the position the ownership group holds
 * for it, decides each message in a round like any command, sends the reply (when one is asked for)
 * in the same transaction and commits the new position there too ({@code sendOffsetsToTransaction},
 * refused to a member of an earlier generation). So every message is decided exactly once, however
 * often owners crash or change, and a command a message carries is also remembered under its id.
 * Deadlines live in the process's state: the owner reads them from the version rows when it takes
 * the partition over ({@link io.streamfold.command.writer.Deadlines}) and decides the process's
 * deadline command when one passes.
 *
 * <p>Domain-agnostic: it knows aggregates only through {@link io.streamfold.command.aggregate}.
 * Depends on {@code aggregate}, {@code domain}, the {@code schemas} core records, Kafka clients and
 * RocksDB; never on {@code http}.
 */
package io.streamfold.command.writer;
