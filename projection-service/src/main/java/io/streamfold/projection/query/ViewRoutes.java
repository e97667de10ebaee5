package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/<collection>/{id}} (with {@code minVersion}) of one plugged-in view: answered
 * here when this instance owns the key's partition, forwarded otherwise; 503 while no instance
 * does.
 */
public final class ViewRoutes<V> {
  private final ViewProjection<?, V> view;
  private final LocalStores stores;
  private final Forwarder forwarder;
  private final VersionWaiters waiters;
  private final Duration defaultWait;
  private final Duration maxWait;

  public ViewRoutes(
      ViewProjection<?, V> view,
      LocalStores stores,
      Forwarder forwarder,
      VersionWaiters waiters,
      Duration defaultWait,
      Duration maxWait) {
    this.view = view;
    this.stores = stores;
    this.forwarder = forwarder;
    this.waiters = waiters;
    this.defaultWait = defaultWait;
    this.maxWait = maxWait;
  }

  /** The route's path. */
  public String path() {
    return "/api/v1/" + view.collection() + "/{id}";
  }

  public void install(JavalinConfig config) {
    config.routes.get(path(), this::read);
  }

  private void read(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(view.store(), id);
    if (!(location instanceof Location.Here here)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    int partition = here.partition();
    ReadYourWrites.answer(
        ctx,
        waiters,
        id,
        minVersion,
        wait,
        () -> stores.<V>view(view.store(), id, partition),
        Versioned::version,
        found -> answer(ctx, id, found));
  }

  private void answer(Context ctx, String id, Versioned<V> found) {
    if (found == null) {
      throw ProblemException.notFound("No " + view.collection() + " " + id);
    }
    Map<String, Object> body = new LinkedHashMap<>(view.render(id, found.view()));
    body.put("version", found.version());
    if (found.missingVersions() > 0) {
      body.put("missingVersions", found.missingVersions());
    }
    ctx.header("ETag", "\"" + found.version() + "\"")
        .header("X-Streamfold-Served-By", stores.self().host() + ":" + stores.self().port())
        .json(body);
  }
}
