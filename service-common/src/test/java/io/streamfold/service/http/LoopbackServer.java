package io.streamfold.service.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.function.Consumer;

/** A Javalin server of a test, on a free loopback port, without the banner. */
public final class LoopbackServer {
  private LoopbackServer() {}

  /** Created with {@code setup} (routes, plug-ins), not started. */
  public static Javalin create(Consumer<JavalinConfig> setup) {
    return Javalin.create(
        config -> {
          config.jetty.host = "127.0.0.1";
          config.jetty.port = 0;
          config.startup.showJavalinBanner = false;
          setup.accept(config);
        });
  }

  /** Created with {@code setup} and started. */
  public static Javalin start(Consumer<JavalinConfig> setup) {
    return create(setup).start();
  }
}
