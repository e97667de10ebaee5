package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.projection.view.TransferView;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import io.streamfold.service.http.Problems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/transfers/{id}} (with {@code minVersion}): a money transfer's status, answered
 * here when this instance owns the key's partition, forwarded otherwise.
 */
public final class TransferQueryRoutes {
  private final LocalStores stores;
  private final Forwarder forwarder;
  private final VersionWaiters waiters;
  private final Duration defaultWait;
  private final Duration maxWait;

  public TransferQueryRoutes(
      LocalStores stores,
      Forwarder forwarder,
      VersionWaiters waiters,
      Duration defaultWait,
      Duration maxWait) {
    this.stores = stores;
    this.forwarder = forwarder;
    this.waiters = waiters;
    this.defaultWait = defaultWait;
    this.maxWait = maxWait;
  }

  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/transfers/{id}", this::transfer);
  }

  private void transfer(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(StoreNames.TRANSFERS, id);
    if (location instanceof Location.Elsewhere elsewhere) {
      ctx.future(() -> forwarder.forwardAsync(ctx, elsewhere.active()));
      return;
    }
    if (location instanceof Location.Unavailable unavailable) {
      throw ProblemException.unavailable("not-ready", unavailable.reason(), 1);
    }
    int partition = ((Location.Here) location).partition();
    TransferView view = stores.transfer(id, partition);
    if (minVersion == null || (view != null && view.version() >= minVersion)) {
      answer(ctx, id, view);
      return;
    }
    var applied = waiters.await(id, minVersion);
    TransferView again = stores.transfer(id, partition); // it may have been applied meanwhile
    if (again != null && again.version() >= minVersion) {
      applied.complete(again.version());
    }
    ctx.future(
        () ->
            applied
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync(
                    (version, timeout) -> {
                      TransferView now = stores.transfer(id, partition);
                      if (timeout == null) {
                        answer(ctx, id, now);
                        return null;
                      }
                      ctx.header("Retry-After", "1");
                      Problems.write(
                          ctx,
                          Problem.of(
                                  503,
                                  "version-not-yet-applied",
                                  "Version not yet applied",
                                  "Version "
                                      + minVersion
                                      + " of transfer "
                                      + id
                                      + " was not applied within "
                                      + wait.toMillis()
                                      + " ms")
                              .with("currentVersion", now == null ? 0 : now.version()));
                      return null;
                    },
                    waiters.completions()));
  }

  private void answer(Context ctx, String id, TransferView view) {
    if (view == null) {
      throw ProblemException.notFound("No transfer " + id);
    }
    ctx.header("ETag", "\"" + view.version() + "\"")
        .header("X-Streamfold-Served-By", stores.self().host() + ":" + stores.self().port())
        .json(body(view));
  }

  /** {@code {id, from, to, amount, currency, status, reason, timedOut, version, …}}. */
  static Map<String, Object> body(TransferView view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", view.transferId());
    body.put("from", view.from());
    body.put("to", view.to());
    body.put("amount", view.amount() == null ? null : view.amount().toPlainString());
    body.put("currency", view.currency());
    body.put("status", view.status());
    body.put(
        "reason",
        view.reasonCode() == null
            ? null
            : Map.of("code", view.reasonCode(), "message", view.reasonMessage()));
    body.put("timedOut", view.timedOut());
    body.put("version", view.version());
    body.put("requestedAt", view.requestedAt() == null ? null : view.requestedAt().toString());
    body.put("updatedAt", view.updatedAt() == null ? null : view.updatedAt().toString());
    if (view.missingVersions() > 0) {
      body.put("missingVersions", view.missingVersions());
    }
    return body;
  }
}
