package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/status}: Streams state, projection lag per partition and in total, the stream
 * threads running (and the catch-up the instance started with, if any: {@code CatchUp}), counters;
 * {@code GET /api/v1/status/digests}: a digest per local store partition (see {@link
 * StoreDigests}).
 */
public final class StatusRoutes {
  private final ProjectionLag lag;
  private final ProjectionCounters counters;
  private final java.util.function.Supplier<String> state;
  private final StoreDigests digests;
  private final java.util.function.IntSupplier streamThreads;
  private final java.util.function.Supplier<Map<String, Object>> catchUp;

  /**
   * @param streamThreads how many stream threads run now
   * @param catchUp how the instance started catching up, or null if it did not
   */
  public StatusRoutes(
      ProjectionLag lag,
      ProjectionCounters counters,
      java.util.function.Supplier<String> state,
      StoreDigests digests,
      java.util.function.IntSupplier streamThreads,
      java.util.function.Supplier<Map<String, Object>> catchUp) {
    this.lag = lag;
    this.counters = counters;
    this.state = state;
    this.digests = digests;
    this.streamThreads = streamThreads;
    this.catchUp = catchUp;
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
          body.put("streamThreads", streamThreads.getAsInt());
          Map<String, Object> catchingUp = catchUp.get();
          if (catchingUp != null) {
            body.put("catchUp", catchingUp);
          }
          body.put("duplicatesSkipped", counters.duplicates());
          body.put("gaps", counters.gaps());
          body.put("deadLetters", counters.deadLetters());
          body.put("gapsFilled", counters.filled());
          ctx.json(body);
        });
  }
}
