/**
 * The interactive-query REST API: local store reads (IQv1 for key-value stores, IQv2 for the
 * versioned history), forwarding to the owning instance, standby reads within a staleness bound,
 * read-your-writes waits, and scatter-gather for lists and statistics. Never answers a wrong or
 * empty result as truth: while ownership moves or a store restores, the answer is 503 with
 * Retry-After. Depends on {@code topology}, {@code view}, {@code service-common} and Kafka Streams.
 */
package io.streamfold.projection.query;
