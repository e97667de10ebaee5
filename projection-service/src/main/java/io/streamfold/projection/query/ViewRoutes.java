package io.streamfold.projection.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.events.OpenedPersonalFields;
import io.streamfold.projection.plugin.PersonalFields;
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
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/<collection>/{id}} (with {@code minVersion}, and {@code asOf} for a view that
 * keeps its history) of one plugged-in view: answered here when this instance owns the key's
 * partition, forwarded otherwise, or from a standby copy when the read may be stale ({@link
 * StandbyReads}); 503 while no instance does. {@code asOf} answers the view right after the last
 * version not after that time, with that version: 404 if the aggregate had none then, 410 before
 * the retained history, 400 on a view without history.
 *
 * <p>{@code GET /api/v1/<collection>} lists every view exactly once, in id order, a page at a time,
 * gathered from every instance as the accounts' list is (503 unless the parts cover every partition
 * once); with an index's name as a parameter it answers the ids under that key instead.
 */
public final class ViewRoutes<V> {
  private static final TypeReference<LocalStores.Part<List<Map<String, Object>>>> PAGE =
      new TypeReference<>() {};
  private static final String JSON = "application/json";
  private final ViewProjection<?, V> view;
  private final LocalStores stores;
  private final Forwarder forwarder;
  private final StandbyReads standby;
  private final VersionWaiters waiters;
  private final Duration defaultWait;
  private final Duration maxWait;
  private final Clock clock;
  private final Duration historyRetention;
  private final ScatterGather gather;
  private final String topic;
  private final int partitions;
  private final java.util.function.Function<byte[], ? extends org.apache.avro.generic.IndexedRecord>
      events;
  private final io.streamfold.schemas.crypto.PersonalData personal;
  private final PersonalFields fields;
  private final Versions<V> versions;
  private final RenderedViews<V> rendered;
  private final String servedBy;

  /**
   * What every plugged-in view's routes share with the instance.
   *
   * @param events each plugged-in collection's decoder of an event's bytes as the log holds them,
   *     for stream reads
   * @param personal opens personal values: an event's fields in stream reads, a view's in its
   *     answers
   */
  public record Shared(
      LocalStores stores,
      Forwarder forwarder,
      StandbyReads standby,
      ScatterGather gather,
      Duration defaultWait,
      Duration maxWait,
      Clock clock,
      Duration historyRetention,
      Map<String, java.util.function.Function<byte[], org.apache.avro.generic.IndexedRecord>>
          events,
      io.streamfold.schemas.crypto.PersonalData personal,
      io.streamfold.schemas.registry.SchemaRegistry registry) {}

  /**
   * @param waiters the view's read-your-writes waiters
   * @param topic the views' events topic
   * @param partitions its partition count
   */
  public ViewRoutes(
      ViewProjection<?, V> view,
      VersionWaiters waiters,
      String topic,
      int partitions,
      Shared shared) {
    this.view = view;
    this.waiters = waiters;
    this.topic = topic;
    this.partitions = partitions;
    this.stores = shared.stores();
    this.forwarder = shared.forwarder();
    this.standby = shared.standby();
    this.gather = shared.gather();
    this.defaultWait = shared.defaultWait();
    this.maxWait = shared.maxWait();
    this.clock = shared.clock();
    this.historyRetention = shared.historyRetention();
    this.events = shared.events().get(view.collection());
    this.personal = shared.personal();
    this.fields = new OpenedPersonalFields(personal);
    this.versions = Versions.of(view, shared.registry(), fields);
    this.rendered = new RenderedViews<>(personal, fields);
    this.servedBy = stores.self().host() + ":" + stores.self().port();
    stores.keyedLike(view.store(), topic, partitions);
    if (view.history()) {
      stores.keyedLike(ViewProjections.historyStore(view), topic, partitions);
    }
  }

  /**
   * {@code GET /api/v1/streams/<collection>/{id}/events}: the stream reads of the views that keep
   * their history ({@link #stream}), one route for every collection; 404 for another.
   */
  public static void installStreams(JavalinConfig config, List<ViewRoutes<?>> routes) {
    Map<String, ViewRoutes<?>> byCollection = new TreeMap<>();
    routes.stream()
        .filter(route -> route.view.history())
        .forEach(route -> byCollection.putIfAbsent(route.view.collection(), route));
    config.routes.get(
        "/api/v1/streams/{collection}/{id}/events",
        ctx -> {
          String collection = ctx.pathParam("collection");
          ViewRoutes<?> route = byCollection.get(collection);
          if (route == null) {
            throw ProblemException.notFound(
                "No collection "
                    + (collection.length() > 64 ? collection.substring(0, 64) + "…" : collection)
                    + " keeps its streams; known: "
                    + byCollection.keySet());
          }
          route.stream(ctx);
        });
  }

  /** The route's path. */
  public String path() {
    return "/api/v1/" + view.collection() + "/{id}";
  }

  /** The route's one-line description, for the OpenAPI document. */
  public String summary() {
    return "A view of a plug-in (minVersion" + (view.history() ? ", asOf)" : ")");
  }

  /** The history route's path: only for a view that keeps its history. */
  public String historyPath() {
    return path() + "/history";
  }

  /** The history route's one-line description, for the OpenAPI document; null without history. */
  public String historySummary() {
    return view.history()
        ? "A view of a plug-in after each of its versions, in version order (from, limit)"
        : null;
  }

  /** The list's path (and the indexes'). */
  public String listPath() {
    return "/api/v1/" + view.collection();
  }

  /** The list's one-line description, for the OpenAPI document. */
  public String listSummary() {
    return "Every view of the "
        + view.collection()
        + " once, in id order, a page at a time (cursor, limit)"
        + (view.indexes().isEmpty()
            ? ""
            : "; or the ids by a secondary index ("
                + view.indexes().stream()
                    .map(index -> index.name() + "=…")
                    .collect(java.util.stream.Collectors.joining(", "))
                + ")");
  }

  /** The path on which another instance asks this one for its part of the list. */
  public String listPartPath() {
    return "/internal/v1/views/" + view.collection();
  }

  public void install(JavalinConfig config) {
    config.routes.get(path(), this::read);
    config.routes.get(listPath(), this::listOrIndexed);
    if (view.history()) {
      config.routes.get(historyPath(), this::history);
    }
    config.routes.get(
        listPartPath(),
        ctx -> {
          gather.requireRunning();
          ctx.json(localPage(cursor(ctx), QueryParams.limit(ctx, 100, 1000)));
        });
  }

  /**
   * {@code GET /api/v1/<collection>[?cursor=<id>&limit=N]}: {@code {<collection>: [views, as {@code
   * GET /api/v1/<collection>/{id}} answers each], nextCursor}}; with an index's parameter, {@link
   * #indexed}. Any other parameter is a 400, so that a misspelt index is not taken for "all".
   */
  private void listOrIndexed(Context ctx) {
    Set<String> indexes = new java.util.TreeSet<>();
    view.indexes().forEach(index -> indexes.add(index.name()));
    for (String parameter : ctx.queryParamMap().keySet()) {
      if (!parameter.equals("cursor") && !parameter.equals("limit")) {
        if (indexes.contains(parameter)) {
          indexed(ctx);
          return;
        }
        throw ProblemException.badRequest(
            "invalid-parameter",
            "Unknown parameter "
                + parameter
                + " of the "
                + view.collection()
                + "' list; known: cursor, limit"
                + (indexes.isEmpty() ? "" : " and the indexes " + indexes));
      }
    }
    String after = cursor(ctx);
    int limit = QueryParams.limit(ctx, 100, 1000);
    TreeMap<String, Map<String, Object>> merged = new TreeMap<>();
    for (List<Map<String, Object>> part :
        gather.gather(
            ctx,
            listPartPath() + "?limit=" + limit + (after == null ? "" : "&cursor=" + after),
            PAGE,
            () -> localPage(after, limit),
            view.store(),
            partitions)) {
      part.forEach(item -> merged.put((String) item.get("id"), item));
    }
    List<Map<String, Object>> page = merged.values().stream().limit(limit).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(view.collection(), page);
    body.put("nextCursor", page.size() == limit ? page.get(limit - 1).get("id") : null);
    ctx.json(body);
  }

  private LocalStores.Part<List<Map<String, Object>>> localPage(String after, int limit) {
    return stores.<Versioned<V>, Map<String, Object>>page(
        view.store(), topic, after, limit, found -> true, this::body);
  }

  /** A page's cursor: the last id of the page before, so an id (a 400 otherwise). */
  private static String cursor(Context ctx) {
    String after = ctx.queryParam("cursor");
    return after == null ? null : Ids.aggregateId(after);
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
    String key = Ids.aggregateId(ctx.queryParam(index.name()));
    String after = cursor(ctx);
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
    ctx.header("X-Streamfold-Served-By", servedBy).json(body);
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
      standby.answer(
          ctx,
          view.store(),
          id,
          location,
          asOf == null && minVersion == null,
          partition -> answer(ctx, id, stores.<V>view(view.store(), id, partition, true)));
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
    whenApplied(ctx, id, partition, minVersion, wait, found -> answer(ctx, id, found));
  }

  /** Answers with the view once it has {@code minVersion} (at once without one), or 503. */
  private void whenApplied(
      Context ctx,
      String id,
      int partition,
      Long minVersion,
      Duration wait,
      java.util.function.Consumer<Versioned<V>> answer) {
    ReadYourWrites.answer(
        ctx,
        waiters,
        id,
        minVersion,
        wait,
        () -> stores.<V>view(view.store(), id, partition),
        Versioned::version,
        answer);
  }

  /**
   * {@code GET /api/v1/<collection>/{id}/history[?from=V&limit=N]}: the id, the view right after
   * each version from V on (1 by default) as a read answers it with {@code at}, that version's
   * business time, and {@code nextCursor}, the {@code from} of the next page; 404 for an aggregate
   * with no view.
   */
  private void history(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    long from = Math.max(1, QueryParams.nonNegativeLong(ctx, "from", 1));
    int limit = QueryParams.limit(ctx, 50, 500);
    Location location = stores.locate(view.store(), id);
    if (!(location instanceof Location.Here here)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    if (stores.view(view.store(), id, here.partition()) == null) {
      throw ProblemException.notFound("No " + view.collection() + " " + id);
    }
    List<ViewVersion<V>> page =
        stores.viewHistory(ViewProjections.historyStore(view), id, here.partition(), from, limit);
    List<Map<String, Object>> versions = new java.util.ArrayList<>(page.size());
    for (ViewVersion<V> entry : page) {
      Map<String, Object> item = this.versions.body(id, entry);
      item.put("at", entry.time().toString());
      versions.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("versions", versions);
    body.put(
        "nextCursor",
        page.size() == limit ? Long.toString(page.get(limit - 1).version() + 1) : null);
    ctx.header("X-Streamfold-Served-By", servedBy).json(body);
  }

  /**
   * {@code GET /api/v1/streams/<collection>/{id}/events[?from=V&limit=N&minVersion=M&waitMs=W]} of
   * a view that keeps its history: the aggregate's events in version order, from the bytes the
   * history keeps ({@link StreamPages}); 404 for an aggregate with no view. Called by the stream
   * route for this collection.
   */
  public void stream(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    long from = Math.max(1, QueryParams.nonNegativeLong(ctx, "from", 1));
    int limit = QueryParams.limit(ctx, 100, 1000);
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(view.store(), id);
    if (!(location instanceof Location.Here here)) {
      Location.forwardOrUnavailable(ctx, location, forwarder);
      return;
    }
    whenApplied(
        ctx,
        id,
        here.partition(),
        minVersion,
        wait,
        found -> {
          if (found == null) {
            throw ProblemException.notFound("No stream " + id + " in " + view.collection());
          }
          StreamPages.answer(
              ctx,
              id,
              found.version(),
              stores
                  .<V>viewHistory(
                      ViewProjections.historyStore(view), id, here.partition(), from, limit)
                  .stream()
                  .map(entry -> new StreamPages.Kept(entry.version(), entry.event()))
                  .toList(),
              limit,
              events,
              personal);
        });
  }

  private void answer(Context ctx, String id, Versioned<V> found) {
    if (found == null) {
      throw ProblemException.notFound("No " + view.collection() + " " + id);
    }
    RenderedViews.Body<V> body =
        rendered.body(id, found, opening -> body(view, id, found, opening));
    ctx.header("ETag", body.etag())
        .header("X-Streamfold-Served-By", servedBy)
        .contentType(JSON)
        .result(body.json());
  }

  private Map<String, Object> body(String id, Versioned<V> found) {
    return body(view, id, found, fields);
  }

  /**
   * A view as a read answers it: the plug-in's rendering, its personal values opened, with its id,
   * version and gaps.
   */
  static <V> Map<String, Object> body(
      ViewProjection<?, V> view, String id, Versioned<V> found, PersonalFields fields) {
    return framed(id, found, view.render(id, found.view(), fields));
  }

  /**
   * One version as the view's history answers it ({@link ViewProjection#renderVersion}), its event
   * decoded from the bytes the history keeps, only for a view that renders it.
   */
  record Versions<V>(ViewProjection<?, V> view, PersonalFields fields, Renderer<V> renderer) {

    interface Renderer<V> {
      Map<String, Object> render(String id, ViewVersion<V> entry);
    }

    static <E, V> Versions<V> of(
        ViewProjection<E, V> view,
        io.streamfold.schemas.registry.SchemaRegistry registry,
        PersonalFields fields) {
      if (!rendersVersions(view)) {
        return new Versions<>(view, fields, null);
      }
      java.util.function.Function<byte[], E> decoder = view.decoder(registry);
      return new Versions<>(
          view,
          fields,
          (id, entry) ->
              view.renderVersion(
                  id,
                  entry.state().view(),
                  entry.event() == null ? null : decoder.apply(entry.event()),
                  fields));
    }

    /** Whether the plug-in overrides {@link ViewProjection#renderVersion}. */
    static boolean rendersVersions(ViewProjection<?, ?> view) {
      try {
        return view.getClass()
                .getMethod(
                    "renderVersion", String.class, Object.class, Object.class, PersonalFields.class)
                .getDeclaringClass()
            != ViewProjection.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }

    Map<String, Object> body(String id, ViewVersion<V> entry) {
      return renderer == null
          ? ViewRoutes.body(view, id, entry.state(), fields)
          : framed(id, entry.state(), renderer.render(id, entry));
    }
  }

  /** The plug-in's rendering with the platform's id, version and gaps. */
  private static <V> Map<String, Object> framed(
      String id, Versioned<V> found, Map<String, Object> rendered) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.putAll(rendered);
    body.put("id", id); // the store's key, whatever the plug-in renders: the list merges by it
    body.put("version", found.version());
    if (found.missingVersions() > 0) {
      body.put("missingVersions", found.missingVersions());
    }
    return body;
  }
}
