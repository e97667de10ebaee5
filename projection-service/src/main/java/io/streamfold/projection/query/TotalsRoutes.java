package io.streamfold.projection.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.projection.topology.GroupTotal;
import io.streamfold.projection.topology.ViewProjections;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/totals/<collection>/<name>}: a plugged-in view's {@link
 * ViewProjection#totals() total}, each group's count and sums added up over every partition, from
 * every instance ({@code /internal/v1/totals/…} answers one instance's part), or 503 while a
 * partition has no active owner.
 */
public final class TotalsRoutes {
  private static final TypeReference<LocalStores.Part<Map<String, GroupTotal>>> PART =
      new TypeReference<>() {};

  /** A total as the routes find it: its store, the views' topic and its partition count. */
  private record Known(String store, String topic, int partitions) {}

  private final Map<String, Known> totals = new TreeMap<>();
  private final LocalStores stores;
  private final ScatterGather gather;

  /**
   * @param topics each view's collection → its events topic
   * @param partitions each events topic → its partition count
   */
  public TotalsRoutes(
      List<ViewProjection<?, ?>> views,
      java.util.function.Function<String, String> topics,
      Map<String, Integer> partitions,
      LocalStores stores,
      ScatterGather gather) {
    this.stores = stores;
    this.gather = gather;
    for (ViewProjection<?, ?> view : views) {
      String topic = topics.apply(view.collection());
      for (ViewProjection.Total<?> total : view.totals()) {
        totals.put(
            view.collection() + "/" + total.name(),
            new Known(
                ViewProjections.totalsStore(view, total.name()), topic, partitions.get(topic)));
      }
    }
  }

  /**
   * Installed whether or not a plug-in has totals (404 {@code unknown-total} then), as documented.
   */
  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/totals/{collection}/{name}", this::total);
    config.routes.get(
        "/internal/v1/totals/{collection}/{name}",
        ctx -> {
          gather.requireRunning();
          Known known = known(ctx);
          ctx.json(stores.totals(known.store(), known.topic()));
        });
  }

  private Known known(Context ctx) {
    String name = ctx.pathParam("collection") + "/" + ctx.pathParam("name");
    Known known = totals.get(name);
    if (known == null) {
      throw new ProblemException(
          Problem.of(
              404,
              "unknown-total",
              "Not found",
              "No total " + name + "; known: " + totals.keySet()));
    }
    return known;
  }

  private void total(Context ctx) {
    Known known = known(ctx);
    Map<String, GroupTotal> groups = new TreeMap<>();
    for (Map<String, GroupTotal> part :
        gather.gather(
            ctx,
            "/internal/v1/totals/" + ctx.pathParam("collection") + "/" + ctx.pathParam("name"),
            PART,
            () -> stores.totals(known.store(), known.topic()),
            known.store(),
            known.partitions())) {
      part.forEach((group, total) -> groups.merge(group, total, GroupTotal::add));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("collection", ctx.pathParam("collection"));
    body.put("total", ctx.pathParam("name"));
    Map<String, Object> byGroup = new TreeMap<>();
    groups.forEach(
        (group, total) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("count", total.count());
          Map<String, String> sums = new TreeMap<>();
          total.sums().forEach((amount, sum) -> sums.put(amount, sum.toPlainString()));
          entry.put("sums", sums);
          byGroup.put(group, entry);
        });
    body.put("groups", byGroup);
    ctx.json(body);
  }
}
