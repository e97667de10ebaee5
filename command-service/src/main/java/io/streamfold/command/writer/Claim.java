package io.streamfold.command.writer;

/**
 * Who last wrote a partition, as the metadata of the ownership group's committed offset for its
 * version-table partition: {@code writer=<transactional id>} once a writer has claimed it, {@code
 * released=<transactional id>} once that writer handed it over cleanly (after its last round).
 * Claims and releases are committed inside a transaction of the writer's producer together with the
 * group's metadata, so the group coordinator refuses them from a member whose generation is over,
 * and a reader that requires stable offsets waits while one is undecided.
 *
 * <p>A new owner fences the transactional id of a claim that was not released (the previous owner
 * crashed, or was paused past its session time-out and may wake up) before it restores the
 * partition: a released claim needs no fencing, since its writer takes no round with the partition
 * any more.
 *
 * @param writer the transactional id of the writer; null when nobody has claimed the partition (a
 *     new topic, or offsets committed before claims existed)
 * @param released whether that writer handed the partition over
 */
record Claim(String writer, boolean released) {
  private static final String WRITER = "writer=";
  private static final String RELEASED = "released=";

  static final Claim NONE = new Claim(null, true);

  static Claim parse(String metadata) {
    if (metadata != null && metadata.startsWith(WRITER)) {
      return new Claim(metadata.substring(WRITER.length()), false);
    }
    if (metadata != null && metadata.startsWith(RELEASED)) {
      return new Claim(metadata.substring(RELEASED.length()), true);
    }
    return NONE;
  }

  static String claimedBy(String transactionalId) {
    return WRITER + transactionalId;
  }

  static String releasedBy(String transactionalId) {
    return RELEASED + transactionalId;
  }

  /** Whether a new owner must fence this claim's writer before it restores, {@code mine} aside. */
  boolean mustFence(String mine) {
    return writer != null && !released && !writer.equals(mine);
  }
}
