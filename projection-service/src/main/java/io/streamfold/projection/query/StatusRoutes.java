package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/status}: Streams state, projection lag per partition and in total, counters;
 * {@code GET /api/v1/status/digests}: a digest per local store partition (see {@link
 * StoreDigests}).
 */
public final class StatusRoutes {
  private final ProjectionLag lag;
  private final ProjectionCounters counters;
  private final java.util.function.Supplier<String> state;
  private final StoreDigests digests;

  public StatusRoutes(
      ProjectionLag lag,
      ProjectionCounters counters,
      java.util.function.Supplier<String> state,
      StoreDigests digests) {
    this.lag = lag;
    this.counters = counters;
    this.state = state;
    this.digests = digests;
  }

  public void install(JavalinConfig config) {
    config.routes.get(
        "/api/v1/status/digests",
        ctx -> {
          if (!state.get().equals("RUNNING")) {
            throw io.streamfold.service.http.ProblemException.unavailable(
                "not-ready", "Kafka Streams is " + state.get(), 1);
          }
          ctx.json(Map.of("stores", digests.local()));
        });
    config.routes.get(
        "/api/v1/status",
        ctx -> {
          ProjectionLag.Snapshot snapshot = lag.snapshot();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("state", state.get());
          body.put(
              "lag",
              Map.of(
                  "total",
                  snapshot.total(),
                  "partitions",
                  snapshot.partitions(),
                  "repartition",
                  snapshot.repartition(),
                  "views",
                  snapshot.views()));
          body.put("duplicatesSkipped", counters.duplicates());
          body.put("gaps", counters.gaps());
          body.put("deadLetters", counters.deadLetters());
          body.put("gapsFilled", counters.filled());
          ctx.json(body);
        });
  }
}
