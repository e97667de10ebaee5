/**
 * The command processor: a Kafka Streams topology that owns, per partition, the version table (a
 * persistent store whose compacted changelog is the version table topic) and the idempotency store,
 * and turns each command into events, a version-table update and an outcome in one exactly-once
 * transaction. Also the gateway's Kafka side: publishing commands and awaiting their outcomes.
 *
 * <p>Domain-agnostic: it knows aggregates only through {@link io.streamfold.command.aggregate}.
 * Depends on {@code aggregate}, {@code domain}, the {@code schemas} core records and Kafka.
 */
package io.streamfold.command.processing;
