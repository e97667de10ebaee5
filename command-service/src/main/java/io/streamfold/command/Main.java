package io.streamfold.command;

import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.service.config.ConfigException;
import java.time.Clock;

/** Starts the command service from environment variables; SIGTERM/SIGINT stop it gracefully. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandServiceConfig config;
    try {
      config = CommandServiceConfig.fromEnv(System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    CommandService service = CommandService.start(config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "command-service-shutdown"));
  }
}
