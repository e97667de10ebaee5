package io.streamfold.projection.topology;

/** Every store, processor and repartition name of the projections, in one place. */
public final class StoreNames {
  public static final String EVENTS_SOURCE = "events-source";
  public static final String ACCOUNT_PROJECTOR = "account-projector";

  /** Latest summary per account: reads, lists and read-your-writes waits. */
  public static final String SUMMARIES = "account-summaries";

  /** Versioned summaries per account: {@code asOf} reads. */
  public static final String HISTORY = "account-history";

  /** {@code <account id>/<version, 19 digits>} → transaction. */
  public static final String TRANSACTIONS = "account-transactions";

  public static final String OWNER_REPARTITION = "accounts-by-owner";
  public static final String OWNER_INDEXER = "owner-indexer";

  /** {@code <owner>\0<account id>} → account id. */
  public static final String OWNER_INDEX = "owner-accounts";

  public static final String STATS_REPARTITION = "ledger-stats-by-currency";
  public static final String STATS_AGGREGATOR = "ledger-stats-aggregator";

  /** Currency → statistics. */
  public static final String STATS = "ledger-stats";

  private StoreNames() {}

  public static String transactionKey(String accountId, long version) {
    return accountId + "/" + String.format("%019d", version);
  }

  public static String ownerKey(String owner, String accountId) {
    return owner + '\u0000' + accountId;
  }
}
