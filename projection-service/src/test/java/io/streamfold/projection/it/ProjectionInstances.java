package io.streamfold.projection.it;

import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Starts projection-service instances next to the command service of a test. */
public final class ProjectionInstances {
  private ProjectionInstances() {}

  public static ProjectionService start(Map<String, String> environment) {
    return start(environment, Dirs.temporary("projections-state-"));
  }

  /** One more instance with these settings, on its own port, with its stores in {@code state}. */
  public static ProjectionService start(Map<String, String> environment, java.nio.file.Path state) {
    Map<String, String> env = new HashMap<>(environment);
    int port = Ports.freeLoopbackPort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", state.toString());
    return ProjectionService.start(ProjectionServiceConfig.fromEnv(env), Clock.systemUTC());
  }

  public static String url(ProjectionService service) {
    return "http://127.0.0.1:" + service.port();
  }

  /** Stops every service given, whatever stopping one of them throws. */
  static void stopAll(AutoCloseable... services) {
    for (AutoCloseable service : services) {
      try {
        if (service != null) {
          service.close();
        }
      } catch (Exception e) {
        // stopped already, or stopping anyway
      }
    }
  }

  /** The body of the first 200 answer to a GET of {@code url} within {@code wait}. */
  static com.fasterxml.jackson.databind.JsonNode readWhenOk(String url, java.time.Duration wait) {
    io.streamfold.command.it.Http.Response[] last = new io.streamfold.command.it.Http.Response[1];
    org.awaitility.Awaitility.await()
        .atMost(wait)
        .until(
            () -> {
              last[0] = io.streamfold.command.it.Http.get(url);
              return last[0].status() == 200;
            });
    return last[0].json();
  }
}
