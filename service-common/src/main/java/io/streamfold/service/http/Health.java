package io.streamfold.service.http;

import io.javalin.config.JavalinConfig;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (it can serve truthfully).
 */
public final class Health {
  private Health() {}

  /**
   * @param readiness the reasons the service is not ready, empty when it is
   */
  public static void install(JavalinConfig config, Supplier<Map<String, String>> readiness) {
    config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    config.routes.get(
        "/health/ready",
        ctx -> {
          Map<String, String> problems = readiness.get();
          if (problems.isEmpty()) {
            ctx.json(Map.of("status", "UP"));
          } else {
            ctx.status(503)
                .header("Retry-After", "1")
                .json(Map.of("status", "DOWN", "checks", problems));
          }
        });
  }
}
