/**
 * The command service's configuration: one record read from the environment and validated at start,
 * failing fast with a message that names the variable.
 */
package io.streamfold.command.config;
