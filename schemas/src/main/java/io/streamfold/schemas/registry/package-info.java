/**
 * Schema registry clients behind one interface, {@link
 * io.streamfold.schemas.registry.SchemaRegistry}: an HTTP client of the Confluent Schema Registry
 * REST API (Confluent, Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda), a caching
 * decorator so the hot path makes no HTTP call after the first record of a schema, and an in-memory
 * registry with the same compatibility rules for topology tests. Depends on Avro, Jackson and
 * {@link io.streamfold.schemas.compat}.
 */
package io.streamfold.schemas.registry;
