package io.streamfold.projection.topology;

/** How the views' stores key their entries. */
public final class StoreNames {
  private StoreNames() {}

  /** The history key: the aggregate id, a slash, the version in 19 digits (so keys sort by it). */
  public static String historyKey(String id, long version) {
    String digits = Long.toString(version);
    StringBuilder key = new StringBuilder(id.length() + 20).append(id).append('/');
    for (int i = digits.length(); i < 19; i++) {
      key.append('0');
    }
    return key.append(digits).toString();
  }

  /** An index entry's key: the index key, a NUL, the id (so one key's ids sort together). */
  public static String indexKey(String key, String id) {
    return key + '\u0000' + id;
  }
}
