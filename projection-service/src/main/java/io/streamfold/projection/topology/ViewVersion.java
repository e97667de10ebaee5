package io.streamfold.projection.topology;

import io.streamfold.projection.plugin.Versioned;
import java.time.Instant;

/**
 * An entry of a plugged-in view's history: the view right after one version, and that event's
 * business time (its record's timestamp).
 */
public record ViewVersion<V>(long timestamp, Versioned<V> state) {

  public Instant time() {
    return Instant.ofEpochMilli(timestamp);
  }

  public long version() {
    return state.version();
  }
}
