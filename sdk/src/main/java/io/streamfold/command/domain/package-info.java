/**
 * The domain kernel: how any aggregate decides and evolves. {@link
 * io.streamfold.command.domain.Decider} is the whole contract of a domain: pure functions over
 * plain values, no Kafka, Avro or HTTP; {@link io.streamfold.command.domain.Process} adds what a
 * process manager (a saga) needs: messages to other aggregates, their replies, deadlines. Business
 * outcomes are values ({@link io.streamfold.command.domain.Decision}), never exceptions. Imports
 * only {@code java.*}.
 */
package io.streamfold.command.domain;
