package io.streamfold.command.aggregate;

/**
 * The topics of one aggregate type, all with the same partition count and keyed (or partitioned) by
 * aggregate id: {@code <prefix><collection>.events} (the log, kept forever), {@code .versions} (the
 * version table, compacted) and {@code .idempotency} (remembered outcomes, compacted and bounded by
 * the idempotency window).
 */
public record Topics(String events, String versions, String idempotency) {

  public static Topics of(String prefix, String collection) {
    String base = prefix + collection;
    return new Topics(base + ".events", base + ".versions", base + ".idempotency");
  }
}
