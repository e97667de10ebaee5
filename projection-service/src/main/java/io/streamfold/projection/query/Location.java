package io.streamfold.projection.query;

import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/** Where a key of a store can be read right now. */
public sealed interface Location {

  /** This instance is the active owner of the key's partition. */
  record Here(int partition) implements Location {}

  /** Another instance is the active owner; these hold standby copies. */
  record Elsewhere(int partition, HostInfo active, Set<HostInfo> standbys) implements Location {}

  /** No instance owns it right now (starting, rebalancing). */
  record Unavailable(String reason) implements Location {}

  /**
   * Answers a request for a key that is not {@link Here}: forwarded to the active owner, or 503
   * with {@code Retry-After} while there is none.
   */
  static void forwardOrUnavailable(
      io.javalin.http.Context ctx,
      Location location,
      io.streamfold.service.http.Forwarder forwarder) {
    if (location instanceof Elsewhere elsewhere) {
      ctx.future(() -> forwarder.forwardAsync(ctx, elsewhere.active()));
    } else {
      throw io.streamfold.service.http.ProblemException.unavailable(
          "not-ready", ((Unavailable) location).reason(), 1);
    }
  }
}
