package io.streamfold.launcher;

import java.nio.file.Path;
import java.util.List;

/** The options of {@code ./run.sh}. */
record LauncherOptions(
    Path dataDir,
    int commandPort,
    int projectionPort,
    int kafkaPort,
    int registryPort,
    boolean demo,
    boolean help) {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: ./run.sh [options]",
          "",
          "Starts a Kafka broker (KRaft), Apicurio Registry, the command service and the projection service on this machine.",
          "Data survives restarts under the data folder; Ctrl-C stops everything.",
          "",
          "  --data-dir DIR          where the broker, registry and state stores keep their data (default ./.data)",
          "  --command-port N        command service HTTP port (default 8080)",
          "  --projection-port N     projection service HTTP port (default 8081)",
          "  --kafka-port N          Kafka broker port (default 9092)",
          "  --registry-port N       schema registry port (default 8082)",
          "  --demo                  load a few sample accounts and transactions",
          "  -h, --help              this text",
          "",
          "Environment variables of the services (see the README) are passed to them, e.g. TOPIC_PARTITIONS=12 ./run.sh");

  static LauncherOptions parse(List<String> args) {
    Path dataDir = Path.of(".data");
    int command = 8080;
    int projection = 8081;
    int kafka = 9092;
    int registry = 8082;
    boolean demo = false;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
        case "--command-port" -> command = port(args, ++i, arg);
        case "--projection-port" -> projection = port(args, ++i, arg);
        case "--kafka-port" -> kafka = port(args, ++i, arg);
        case "--registry-port" -> registry = port(args, ++i, arg);
        case "--demo" -> demo = true;
        case "-h", "--help" -> help = true;
        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n\n" + USAGE);
      }
    }
    return new LauncherOptions(
        dataDir.toAbsolutePath(), command, projection, kafka, registry, demo, help);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static int port(List<String> args, int i, String option) {
    String value = value(args, i, option);
    try {
      int port = Integer.parseInt(value);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a port number, not '" + value + "'");
    }
  }
}
