package io.streamfold.service.http;

import java.util.regex.Pattern;

/** The aggregate id rule both APIs enforce on path parameters. */
public final class Ids {
  public static final Pattern AGGREGATE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  /** {@code id} if it is a valid aggregate id, else a 400 problem. */
  public static String aggregateId(String id) {
    if (id == null || !AGGREGATE_ID.matcher(id).matches()) {
      throw ProblemException.badRequest(
          "invalid-id",
          "The id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return id;
  }
}
