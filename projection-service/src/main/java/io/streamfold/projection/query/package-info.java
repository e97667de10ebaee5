/**
 * The interactive-query REST API of the plugged-in views: local store reads, forwarding to the
 * owning instance, standby reads within a staleness bound, read-your-writes waits, and
 * scatter-gather for lists and totals. Never answers a wrong or empty result as truth: while
 * ownership moves or a store restores, the answer is 503 with Retry-After. Depends on {@code
 * topology}, {@code service-common} and Kafka Streams.
 */
package io.streamfold.projection.query;
