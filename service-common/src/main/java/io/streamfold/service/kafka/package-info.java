/**
 * Kafka plumbing both services share: explicit topic provisioning that fails fast on a mismatch
 * (partition counts are forever), the lifecycle of a {@code KafkaStreams} instance, and the bound
 * on the local stores' RocksDB memory ({@link io.streamfold.service.kafka.RocksMemory}). Depends on
 * Kafka's clients and Streams (and the RocksDB they bring).
 */
package io.streamfold.service.kafka;
