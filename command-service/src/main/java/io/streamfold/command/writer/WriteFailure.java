package io.streamfold.command.writer;

/** Why a command got no outcome from a writer; the kind decides the HTTP answer. */
public final class WriteFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the client may conclude. */
  public enum Kind {
    /** This instance does not own the aggregate's partition (any more): ask the owner. */
    NOT_OWNER,
    /** The partition is owned here but still restoring, or its queue is full: retry shortly. */
    NOT_READY,
    /** Nothing of the command was written (aborted, or fenced by a newer owner): retry. */
    NOT_APPLIED,
    /** The commit's result is unknown: the command may be applied; retry with the same key. */
    OUTCOME_UNKNOWN
  }

  private final Kind kind;

  WriteFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  WriteFailure(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
