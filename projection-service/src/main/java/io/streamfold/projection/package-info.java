/**
 * The projection service: {@link io.streamfold.projection.Main} reads the configuration and {@link
 * io.streamfold.projection.ProjectionService} wires the pieces. Sub-packages: {@code view} (pure
 * projectors), {@code topology} (one class per projection), {@code query} (the REST API), {@code
 * config}.
 */
package io.streamfold.projection;
