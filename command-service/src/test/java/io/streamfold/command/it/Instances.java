package io.streamfold.command.it;

import io.streamfold.command.CommandService;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.devstack.SharedStack;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Starts command-service instances on the shared broker and registry, isolated by topic prefix. */
public final class Instances {
  /** The tests' key-encryption key (32 zero bytes would do as well: never a real one). */
  public static final String TEST_KEY_ENCRYPTION_KEY =
      "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=";

  private Instances() {}

  /** Settings for one test: its own topic prefix and application id; add or override variables. */
  public static Map<String, String> environment(String testName) {
    String unique = testName + "-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", SharedStack.broker().bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", SharedStack.registry().url());
    env.put("TOPIC_PREFIX", unique + ".");
    env.put("APPLICATION_ID", unique);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("KEY_ENCRYPTION_KEY", TEST_KEY_ENCRYPTION_KEY);
    env.put("ERASURE_WINDOW", "PT4S");
    return env;
  }

  /** One more instance with these settings, on its own port and state directory. */
  public static CommandService start(Map<String, String> environment) {
    return start(environment, Dirs.temporary("commands-state-"));
  }

  /** One more instance with these settings, on its own port, with its store in {@code state}. */
  public static CommandService start(Map<String, String> environment, java.nio.file.Path state) {
    Map<String, String> env = new HashMap<>(environment);
    int port = Ports.freeLoopbackPort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", state.toString());
    return CommandService.start(CommandServiceConfig.fromEnv(env), Clock.systemUTC());
  }

  public static String url(CommandService service) {
    return "http://127.0.0.1:" + service.port();
  }
}
