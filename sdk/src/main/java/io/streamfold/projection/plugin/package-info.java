/**
 * The projection service's plug-in contract: a {@link
 * io.streamfold.projection.plugin.ProjectionDomain} names its {@link
 * io.streamfold.projection.plugin.ViewProjection}s (one view per aggregate, from a pure projector),
 * and the platform builds their topology, stores, routes and operations. Depends on {@code
 * schemas}' registry client and {@code java.*}.
 */
package io.streamfold.projection.plugin;
