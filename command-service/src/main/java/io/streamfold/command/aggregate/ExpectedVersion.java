package io.streamfold.command.aggregate;

import io.streamfold.command.domain.Rejection;

/**
 * The optimistic-concurrency condition of a command, checked against the aggregate's current
 * version (0 when it does not exist).
 */
public record ExpectedVersion(Kind kind, long version) {
  public static final ExpectedVersion ANY = new ExpectedVersion(Kind.ANY, 0);
  public static final ExpectedVersion MUST_EXIST = new ExpectedVersion(Kind.MUST_EXIST, 0);
  public static final ExpectedVersion MUST_NOT_EXIST = new ExpectedVersion(Kind.MUST_NOT_EXIST, 0);

  public enum Kind {
    /** No condition. */
    ANY,
    /** The current version must be exactly {@link #version()} (HTTP {@code If-Match: "N"}). */
    EXACT,
    /** The aggregate must exist (HTTP {@code If-Match: *}). */
    MUST_EXIST,
    /** The aggregate must not exist (HTTP {@code If-None-Match: *}). */
    MUST_NOT_EXIST
  }

  public static ExpectedVersion exactly(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("A version is never negative: " + version);
    }
    return new ExpectedVersion(Kind.EXACT, version);
  }

  /** Null when {@code current} satisfies the condition, else the rejection to answer with. */
  public Rejection check(long current) {
    switch (kind) {
      case EXACT:
        return current == version
            ? null
            : mismatch("Expected version " + version + " but it is " + current);
      case MUST_EXIST:
        return current > 0 ? null : Rejection.notFound("The aggregate does not exist");
      case MUST_NOT_EXIST:
        return current == 0
            ? null
            : mismatch("Expected no aggregate but it exists at version " + current);
      default:
        return null;
    }
  }

  private static Rejection mismatch(String message) {
    return new Rejection(Rejection.Kind.VERSION_MISMATCH, "version-mismatch", message);
  }
}
