/**
 * The projection topologies, one class per projection, each {@code build(StreamsBuilder, …)} with
 * stores and operators named from {@link io.streamfold.projection.topology.StoreNames} so changelog
 * and repartition topic names are stable (the committed golden file shows them). Also the pieces
 * the processors share with the query side: version waiters and counters. Depends on {@code view},
 * {@code schemas} and Kafka Streams.
 */
package io.streamfold.projection.topology;
