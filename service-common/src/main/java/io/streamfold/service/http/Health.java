package io.streamfold.service.http;

import io.javalin.config.JavalinConfig;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process can still recover by itself: false only in a state a restart
 * alone fixes) and {@code /health/ready} (it can serve truthfully). Each answers 503 with its
 * failing checks.
 */
public final class Health {
  private Health() {}

  /**
   * @param liveness what only a restart can fix (a dead control thread, Kafka Streams in ERROR),
   *     empty while the process can recover by itself
   * @param readiness the reasons the service is not ready, empty when it is
   */
  public static void install(
      JavalinConfig config,
      Supplier<Map<String, String>> liveness,
      Supplier<Map<String, String>> readiness) {
    config.routes.get("/health/live", ctx -> answer(ctx, liveness.get()));
    config.routes.get("/health/ready", ctx -> answer(ctx, readiness.get()));
  }

  private static void answer(io.javalin.http.Context ctx, Map<String, String> problems) {
    if (problems.isEmpty()) {
      ctx.json(Map.of("status", "UP"));
    } else {
      ctx.status(503).header("Retry-After", "1").json(Map.of("status", "DOWN", "checks", problems));
    }
  }
}
