package io.streamfold.projection.events;

import io.streamfold.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A place in the event log that a subscriber can resume from: for every collection, the offset of
 * the next record to read in each partition of its events topic. Clients see it only as an opaque
 * token (the SSE {@code id:}); inside it is {@code v1;accounts=12.0.7.3.0.19}, base64url. A token
 * from before partitions were added starts the new partitions at their beginning.
 */
record Position(Map<String, long[]> offsets) {
  private static final String VERSION = "v1";

  /** The offsets of {@code collection}, one per partition. */
  long[] of(String collection) {
    return offsets.get(collection);
  }

  String token() {
    return token(offsets);
  }

  /** The token of {@code offsets} (collection to next offset per partition), as it stands now. */
  static String token(Map<String, long[]> offsets) {
    StringBuilder text = new StringBuilder(VERSION);
    offsets.forEach(
        (collection, partitions) -> {
          text.append(';').append(collection).append('=');
          for (int p = 0; p < partitions.length; p++) {
            text.append(p == 0 ? "" : ".").append(partitions[p]);
          }
        });
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a token for the given collections and their partition counts.
   *
   * @throws ProblemException 400 {@code invalid-position} when it is not a token of this log
   */
  static Position parse(String token, Map<String, Integer> partitions) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("it is not a position this service gave out");
    }
    String[] parts = text.split(";", -1);
    if (!parts[0].equals(VERSION)) {
      throw invalid("it is not a position this service gave out");
    }
    Map<String, long[]> read = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      String collection = equals < 0 ? "" : parts[i].substring(0, equals);
      Integer count = partitions.get(collection);
      if (count == null) {
        throw invalid(
            "it is for the collections " + collections(parts) + ", not " + partitions.keySet());
      }
      String[] numbers = parts[i].substring(equals + 1).split("\\.", -1);
      if (numbers.length > count) {
        throw invalid(collection + " has " + count + " partitions, the position " + numbers.length);
      }
      long[] offsets = new long[count];
      for (int p = 0; p < numbers.length; p++) {
        try {
          offsets[p] = Long.parseLong(numbers[p]);
        } catch (NumberFormatException e) {
          throw invalid("it is not a position this service gave out");
        }
        if (offsets[p] < 0) {
          throw invalid("it is not a position this service gave out");
        }
      }
      read.put(collection, offsets);
    }
    if (!read.keySet().equals(partitions.keySet())) {
      throw invalid("it is for the collections " + read.keySet() + ", not " + partitions.keySet());
    }
    return new Position(read);
  }

  private static String collections(String[] parts) {
    return Arrays.stream(parts)
        .skip(1)
        .map(part -> part.contains("=") ? part.substring(0, part.indexOf('=')) : part)
        .toList()
        .toString();
  }

  private static ProblemException invalid(String why) {
    return ProblemException.badRequest("invalid-position", "Invalid position: " + why);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Position that
        && offsets.size() == that.offsets.size()
        && offsets.entrySet().stream()
            .allMatch(e -> Arrays.equals(e.getValue(), that.offsets.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return offsets.entrySet().stream()
        .mapToInt(e -> e.getKey().hashCode() ^ Arrays.hashCode(e.getValue()))
        .sum();
  }

  @Override
  public String toString() {
    return token();
  }
}
