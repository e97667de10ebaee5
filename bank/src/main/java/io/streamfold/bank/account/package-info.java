/**
 * The bank-account aggregate: commands, events, state and the decider. Plain Java ({@code java.*}
 * and the domain kernel only): no Kafka, Avro or HTTP.
 */
package io.streamfold.bank.account;
