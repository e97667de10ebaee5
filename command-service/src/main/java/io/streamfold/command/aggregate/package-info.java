/**
 * The plug-in contract of the command mechanism: an {@link
 * io.streamfold.command.aggregate.Aggregate} brings its decider and its Avro codec, and the
 * envelopes carry the metadata every command and event has. The mechanism ({@code writer}, {@code
 * http}) knows aggregates only through these types, so a second aggregate type plugs in without
 * changing it. Depends on {@code domain} and {@code java.*}.
 */
package io.streamfold.command.aggregate;
