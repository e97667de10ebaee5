/**
 * The plug-in contract of the command mechanism: an {@link
 * io.streamfold.command.aggregate.Aggregate} brings its decider, its Avro codec, optionally its
 * process (a saga: messages to other aggregates, deadlines) and the commands it takes from an
 * inbox, and the envelopes carry the metadata every command and event has. The mechanism ({@code
 * writer}, {@code http}) knows aggregates only through these types, so a second aggregate type
 * plugs in without changing it. Depends on {@code domain} and {@code java.*}.
 */
package io.streamfold.command.aggregate;
