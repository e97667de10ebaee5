package io.streamfold.command.processing;

/**
 * The names of the processor's stores and nodes: changing one changes topic names (see the golden
 * file).
 */
public final class StoreNames {
  public static final String SOURCE = "commands-source";
  public static final String PROCESSOR = "command-processor";
  public static final String EVENTS_SINK = "events-sink";
  public static final String RESULTS_SINK = "results-sink";
  public static final String DLQ_SINK = "dead-letter-sink";

  private StoreNames() {}

  /** The version table, e.g. {@code account-versions}: its changelog is the version table topic. */
  public static String versions(String aggregateType) {
    return aggregateType + "-versions";
  }

  /** Outcomes by aggregate and command id, kept for the idempotency window. */
  public static String outcomes(String aggregateType) {
    return aggregateType + "-outcomes";
  }
}
