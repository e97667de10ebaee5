package io.streamfold.projection.query;

import io.javalin.http.Context;
import io.streamfold.service.http.Forwarder;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A read of a key whose active owner is another instance, for every store that answers single keys
 * (every plugged-in view): forwarded to the owner; or, for a read that may be stale (neither {@code
 * minVersion} nor {@code asOf}), answered from a standby copy that trails by at most {@code
 * MAX_STANDBY_LAG} records, saying how stale it is in {@code X-Streamfold-Staleness}: from this
 * instance's own copy at once when the client sends {@code X-Streamfold-Allow-Stale: true}, or from
 * the first standby that can when the owner does not answer. 503 while no instance owns the key.
 */
public final class StandbyReads {
  static final String ALLOW_STALE = "X-Streamfold-Allow-Stale";

  private final LocalStores stores;
  private final Forwarder forwarder;
  private final long maxStandbyLag;

  public StandbyReads(LocalStores stores, Forwarder forwarder, long maxStandbyLag) {
    this.stores = stores;
    this.forwarder = forwarder;
    this.maxStandbyLag = maxStandbyLag;
  }

  /**
   * Answers a read of a key that is not {@link Location.Here}.
   *
   * @param staleAllowed the read may be answered from a standby copy (no {@code minVersion}, no
   *     {@code asOf})
   * @param fromStandby answers from this instance's standby copy of the key's partition
   */
  public void answer(
      Context ctx,
      String store,
      String id,
      Location location,
      boolean staleAllowed,
      java.util.function.IntConsumer fromStandby) {
    if (!(location instanceof Location.Elsewhere elsewhere)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    if (staleAllowed
        && ctx.header(ALLOW_STALE) != null
        && tryLocal(ctx, store, elsewhere.partition(), fromStandby)) {
      return;
    }
    ctx.future(
        () ->
            Forwarder.unreachableUnless(
                forwarder
                    .tryForwardAsync(ctx, elsewhere.active(), Map.of())
                    .thenCompose(
                        answered ->
                            answered || !staleAllowed
                                ? CompletableFuture.completedFuture(answered)
                                : failOver(ctx, store, elsewhere, fromStandby)),
                "The instance owning " + id + " does not answer and no standby can"));
  }

  /**
   * The active owner did not answer: a standby within the staleness bound answers instead, the
   * first that can; completes with false when none can.
   */
  private CompletableFuture<Boolean> failOver(
      Context ctx,
      String store,
      Location.Elsewhere elsewhere,
      java.util.function.IntConsumer fromStandby) {
    CompletableFuture<Boolean> answered = CompletableFuture.completedFuture(false);
    for (HostInfo standby : elsewhere.standbys()) {
      answered =
          answered.thenCompose(
              done ->
                  done
                      ? CompletableFuture.completedFuture(true)
                      : standby.equals(stores.self())
                          ? CompletableFuture.completedFuture(
                              tryLocal(ctx, store, elsewhere.partition(), fromStandby))
                          : forwarder.tryForwardAsync(ctx, standby, Map.of(ALLOW_STALE, "true")));
    }
    return answered;
  }

  private boolean tryLocal(
      Context ctx, String store, int partition, java.util.function.IntConsumer fromStandby) {
    OptionalLong lag = stores.standbyLag(store, partition);
    if (lag.isEmpty() || lag.getAsLong() > maxStandbyLag) {
      return false;
    }
    ctx.header("X-Streamfold-Staleness", Long.toString(lag.getAsLong()));
    fromStandby.accept(partition);
    return true;
  }
}
