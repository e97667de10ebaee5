package io.streamfold.projection.it;

import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Starts projection-service instances next to the command service of a test. */
final class ProjectionInstances {
  private ProjectionInstances() {}

  static ProjectionService start(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    int port = Ports.freeLoopbackPort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", Dirs.temporary("projections-state-").toString());
    return ProjectionService.start(ProjectionServiceConfig.fromEnv(env), Clock.systemUTC());
  }

  static String url(ProjectionService service) {
    return "http://127.0.0.1:" + service.port();
  }
}
