/**
 * The Avro serde for Kafka in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), with writer-to-reader schema resolution for generated (specific) records. Serdes
 * are built in code with the {@link io.streamfold.schemas.registry.SchemaRegistry} they use: there
 * is no static configuration. Depends on Avro, {@code kafka-clients} and {@link
 * io.streamfold.schemas.registry}.
 */
package io.streamfold.schemas.serde;
