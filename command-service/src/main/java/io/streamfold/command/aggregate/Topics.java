package io.streamfold.command.aggregate;

/**
 * The topics of one aggregate type: {@code <prefix><collection>.commands}, {@code .events}, {@code
 * .command-results} and {@code .commands.dlq}.
 */
public record Topics(String commands, String events, String results, String commandsDlq) {

  public static Topics of(String prefix, String collection) {
    String base = prefix + collection;
    return new Topics(
        base + ".commands", base + ".events", base + ".command-results", base + ".commands.dlq");
  }
}
