package io.streamfold.projection.view;

/** What folding one event into a summary did. */
public sealed interface Projected {

  /** The event was not newer than the view: nothing changes. */
  record Skipped(long viewVersion, long eventVersion) implements Projected {}

  /**
   * The event was applied.
   *
   * @param missing versions skipped over (0 unless there was a gap)
   * @param subject the data subject of the owner, when this event opened the account (the key of
   *     the owner index), else null
   */
  record Applied(
      AccountSummary summary,
      Transaction transaction,
      StatsDelta delta,
      long missing,
      String subject)
      implements Projected {}
}
