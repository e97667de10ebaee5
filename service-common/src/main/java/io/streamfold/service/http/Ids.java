package io.streamfold.service.http;

import java.util.regex.Pattern;

/** The aggregate id rule both APIs enforce on path parameters. */
public final class Ids {
  public static final Pattern AGGREGATE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  /**
   * Whether {@code id} matches {@link #AGGREGATE_ID}, checked character by character: every read
   * and command checks its id, and the regular expression was 5% of a single-key read's handler.
   */
  public static boolean isAggregateId(String id) {
    int length = id == null ? 0 : id.length();
    if (length == 0 || length > 64) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean alphanumeric =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /** {@code id} if it is a valid aggregate id, else a 400 problem. */
  public static String aggregateId(String id) {
    if (!isAggregateId(id)) {
      throw ProblemException.badRequest(
          "invalid-id",
          "The id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return id;
  }
}
