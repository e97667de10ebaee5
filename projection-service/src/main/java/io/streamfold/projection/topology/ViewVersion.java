package io.streamfold.projection.topology;

import io.streamfold.projection.plugin.Versioned;
import java.time.Instant;

/**
 * An entry of a plugged-in view's history: the view right after one version, that event's business
 * time (its record's timestamp), and the event's bytes as the log holds them (for stream reads;
 * null in entries written before the history kept them).
 */
public record ViewVersion<V>(long timestamp, Versioned<V> state, byte[] event) {

  public Instant time() {
    return Instant.ofEpochMilli(timestamp);
  }

  public long version() {
    return state.version();
  }
}
