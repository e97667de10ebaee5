/**
 * Kafka plumbing both services share: explicit topic provisioning that fails fast on a mismatch
 * (partition counts are forever), and the lifecycle of a {@code KafkaStreams} instance. Depends on
 * Kafka's clients and Streams.
 */
package io.streamfold.service.kafka;
