/** The projection service's configuration, read from the environment and validated at start. */
package io.streamfold.projection.config;
