package io.streamfold.projection.topology;

/** Every store, processor and repartition name of the projections, in one place. */
public final class StoreNames {
  public static final String EVENTS_SOURCE = "events-source";
  public static final String ACCOUNT_PROJECTOR = "account-projector";

  /** Latest summary per account: reads, lists and read-your-writes waits. */
  public static final String SUMMARIES = "account-summaries";

  /**
   * {@code <account id>/<version, 19 digits>} → history entry: the transaction list, and {@code
   * asOf} reads.
   */
  public static final String HISTORY = "account-history";

  public static final String OWNER_REPARTITION = "accounts-by-owner";
  public static final String OWNER_INDEXER = "owner-indexer";

  /** {@code <owner>\0<account id>} → account id. */
  public static final String OWNER_INDEX = "owner-accounts";

  /**
   * Currency → statistics of the accounts of one partition of the event log: the ledger statistics
   * are their sum over every partition.
   */
  public static final String STATS = "ledger-stats";

  private StoreNames() {}

  /** The history key: the account id, a slash, the version in 19 digits (so keys sort by it). */
  public static String historyKey(String accountId, long version) {
    String digits = Long.toString(version);
    StringBuilder key = new StringBuilder(accountId.length() + 20).append(accountId).append('/');
    for (int i = digits.length(); i < 19; i++) {
      key.append('0');
    }
    return key.append(digits).toString();
  }

  public static String ownerKey(String owner, String accountId) {
    return owner + '\u0000' + accountId;
  }
}
