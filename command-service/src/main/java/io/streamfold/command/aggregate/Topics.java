package io.streamfold.command.aggregate;

/**
 * The topics of one aggregate type, all with the same partition count and keyed (or partitioned) by
 * aggregate id: {@code <prefix><collection>.events} (the log, kept forever), {@code .versions} (the
 * version table, compacted), {@code .idempotency} (remembered outcomes, compacted and bounded by
 * the idempotency window) and {@code .inbox} (messages from processes, and their replies).
 */
public record Topics(
    String prefix, String events, String versions, String idempotency, String inbox) {

  public static Topics of(String prefix, String collection) {
    String base = prefix + collection;
    return new Topics(
        prefix, base + ".events", base + ".versions", base + ".idempotency", base + ".inbox");
  }

  /** The inbox of another aggregate type under the same prefix. */
  public String inboxOf(String collection) {
    return prefix + collection + ".inbox";
  }
}
