package io.streamfold.projection.view;

import java.time.Instant;

/**
 * One entry of an account's history, kept per version: the transaction, and what the summary held
 * right after it. The summary at any version is its entry plus what never changes once the account
 * is open (owner, currency, opening time), so one store answers both the transaction list and
 * {@code asOf} reads.
 *
 * @param transaction what happened at this version, and the balance after it
 * @param status the account's status after it
 * @param transactionCount events applied up to and including it
 * @param missingVersions versions never seen up to it
 * @param lastActivityAt the latest business time up to and including it: never decreasing along the
 *     versions, so {@code asOf} is a search over them
 * @param event the event as it is on the log (registry wire format), for stream reads; null in an
 *     entry written before the history kept it
 */
public record HistoryEntry(
    Transaction transaction,
    String status,
    long transactionCount,
    long missingVersions,
    Instant lastActivityAt,
    byte[] event) {

  public static HistoryEntry of(AccountSummary after, Transaction transaction, byte[] event) {
    return new HistoryEntry(
        transaction,
        after.status(),
        after.transactionCount(),
        after.missingVersions(),
        after.lastActivityAt(),
        event);
  }

  public long version() {
    return transaction.version();
  }

  /** The summary as it was right after this entry, given the account's latest summary. */
  public AccountSummary asSummary(AccountSummary latest) {
    return new AccountSummary(
        latest.accountId(),
        latest.owner(),
        latest.ownerId(),
        latest.currency(),
        transaction.balanceAfter(),
        status,
        transaction.version(),
        latest.openedAt(),
        lastActivityAt,
        transactionCount,
        missingVersions);
  }
}
