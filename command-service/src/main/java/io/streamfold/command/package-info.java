/**
 * The command service: {@link io.streamfold.command.Main} reads the configuration and wires the
 * pieces by constructor in {@link io.streamfold.command.CommandService}. Sub-packages: {@code
 * domain} (pure), {@code aggregate} (the plug-in contract), {@code avro} (the account's Avro
 * mapping), {@code writer} (partition ownership, the partition writers and their local stores),
 * {@code http} (the API), {@code config}.
 */
package io.streamfold.command;
