/**
 * Schema compatibility, decided with Avro's own {@link org.apache.avro.SchemaCompatibility}: the
 * levels of the Confluent Schema Registry API ({@link
 * io.streamfold.schemas.compat.CompatibilityLevel}) and the build-time gate ({@link
 * io.streamfold.schemas.compat.CompatibilityGate}) that checks every {@code .avsc} against its
 * committed history. Depends only on Avro.
 */
package io.streamfold.schemas.compat;
