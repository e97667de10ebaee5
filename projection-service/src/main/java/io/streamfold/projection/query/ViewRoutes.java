package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.projection.topology.ViewProjections;
import io.streamfold.projection.topology.ViewVersion;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/<collection>/{id}} (with {@code minVersion}, and {@code asOf} for a view that
 * keeps its history) of one plugged-in view: answered here when this instance owns the key's
 * partition, forwarded otherwise; 503 while no instance does. {@code asOf} answers the view right
 * after the last version not after that time, with that version: 404 if the aggregate had none
 * then, 410 before the retained history, 400 on a view without history.
 */
public final class ViewRoutes<V> {
  private final ViewProjection<?, V> view;
  private final LocalStores stores;
  private final Forwarder forwarder;
  private final VersionWaiters waiters;
  private final Duration defaultWait;
  private final Duration maxWait;
  private final Clock clock;
  private final Duration historyRetention;

  public ViewRoutes(
      ViewProjection<?, V> view,
      LocalStores stores,
      Forwarder forwarder,
      VersionWaiters waiters,
      Duration defaultWait,
      Duration maxWait,
      Clock clock,
      Duration historyRetention) {
    this.view = view;
    this.stores = stores;
    this.forwarder = forwarder;
    this.waiters = waiters;
    this.defaultWait = defaultWait;
    this.maxWait = maxWait;
    this.clock = clock;
    this.historyRetention = historyRetention;
  }

  /** The route's path. */
  public String path() {
    return "/api/v1/" + view.collection() + "/{id}";
  }

  /** The route's one-line description, for the OpenAPI document. */
  public String summary() {
    return "A view of a plug-in (minVersion" + (view.history() ? ", asOf)" : ")");
  }

  /** The index route's path, when the view has indexes. */
  public String indexPath() {
    return "/api/v1/" + view.collection();
  }

  /** The index route's one-line description, for the OpenAPI document; null without indexes. */
  public String indexSummary() {
    return view.indexes().isEmpty()
        ? null
        : "Ids of the "
            + view.collection()
            + " by a secondary index of a plug-in ("
            + view.indexes().stream()
                .map(index -> index.name() + "=…")
                .collect(java.util.stream.Collectors.joining(", "))
            + ", cursor, limit)";
  }

  public void install(JavalinConfig config) {
    config.routes.get(path(), this::read);
    if (!view.indexes().isEmpty()) {
      config.routes.get(indexPath(), this::indexed);
    }
  }

  /**
   * {@code GET /api/v1/<collection>?<index>=<key>[&cursor=<id>&limit=N]}: the ids under that key,
   * in order, from the instance that holds the key's index partition: {@code {<index>: key,
   * <collection>: [ids], nextCursor}}.
   */
  private void indexed(Context ctx) {
    ViewProjection.Index<?> index = null;
    for (ViewProjection.Index<?> candidate : view.indexes()) {
      if (ctx.queryParam(candidate.name()) != null) {
        if (index != null) {
          throw ProblemException.badRequest(
              "invalid-parameter", "Name one index at a time, not " + index.name() + " and more");
        }
        index = candidate;
      }
    }
    if (index == null) {
      throw ProblemException.badRequest(
          "invalid-parameter",
          "Name an index of the "
              + view.collection()
              + ": "
              + view.indexes().stream().map(i -> i.name() + "=…").toList());
    }
    String key = Ids.aggregateId(ctx.queryParam(index.name()));
    String after = ctx.queryParam("cursor");
    if (after != null) {
      Ids.aggregateId(after);
    }
    int limit = QueryParams.limit(ctx, 100, 1000);
    String store = ViewProjections.indexStore(view, index.name());
    Location location = stores.locate(store, key);
    if (!(location instanceof Location.Here here)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    List<String> ids = stores.indexed(store, key, here.partition(), after, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(index.name(), key);
    body.put(view.collection(), ids);
    body.put("nextCursor", ids.size() == limit ? ids.get(limit - 1) : null);
    ctx.header("X-Streamfold-Served-By", stores.self().host() + ":" + stores.self().port())
        .json(body);
  }

  private void read(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    if (ctx.queryParam("asOf") != null && !view.history()) {
      throw ProblemException.badRequest(
          "invalid-parameter", "The " + view.collection() + " keep no history: asOf is not served");
    }
    Instant asOf = QueryParams.asOf(ctx, minVersion, clock, historyRetention);
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(view.store(), id);
    if (!(location instanceof Location.Here here)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    int partition = here.partition();
    if (asOf != null) {
      ViewVersion<V> then =
          stores.viewAsOf(view.store(), ViewProjections.historyStore(view), id, partition, asOf);
      if (then == null) {
        throw ProblemException.notFound("No " + view.collection() + " " + id + " at " + asOf);
      }
      answer(ctx, id, then.state());
      return;
    }
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
