package io.streamfold.launcher.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in the test's JVM against a projection service, capturing its output. */
final class Cli {
  private Cli() {}

  record Result(int exit, String out, String err) {}

  /** {@code streamfold <args> --projections <projections>}. */
  static Result run(String projections, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--projections";
    all[args.length + 1] = projections;
    // what `projection rebuild` starts projection-service with: the test's own classpath
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    int exit =
        new Streamfold(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                classpath)
            .run(all);
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
