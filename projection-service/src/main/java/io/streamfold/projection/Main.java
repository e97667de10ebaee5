package io.streamfold.projection;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.service.config.ConfigException;
import java.time.Clock;

/** Starts the projection service from environment variables; SIGTERM/SIGINT stop it gracefully. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ProjectionServiceConfig config;
    try {
      config = ProjectionServiceConfig.fromEnv(System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ProjectionService service = ProjectionService.start(config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "projection-service-shutdown"));
  }
}
