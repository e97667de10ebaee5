/**
 * Real infrastructure for tests and for the embedded default: a single-node KRaft Kafka broker and
 * an Apicurio Registry, each started as a child JVM bound to 127.0.0.1 on a free (or chosen) port.
 *
 * <p>Both come from Maven Central artifacts resolved by this module's build ({@code kafka_2.13} and
 * {@code apicurio-registry-app}); nothing is downloaded at run time. Child processes are stopped by
 * {@link io.streamfold.devstack.ChildJvm#close()} and, as a last resort, by a JVM shutdown hook.
 * Their classes come from class data archives written by an earlier start ({@code SharedClasses}).
 *
 * <p>Depends only on {@code java.*}, SLF4J and {@code kafka-clients} (for the readiness probe).
 */
package io.streamfold.devstack;
