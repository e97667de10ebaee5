package io.streamfold.projection.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The account summary read model.
 *
 * @param owner the owner's name as the event holds it: sealed for {@code ownerId}, or plain text
 *     when {@code ownerId} is null (events from before subjects); opened only to answer
 * @param ownerId the data subject of the owner's name
 * @param version the last event version applied
 * @param missingVersions how many versions were never seen (gaps); 0 for a complete history
 */
public record AccountSummary(
    String accountId,
    String owner,
    String ownerId,
    String currency,
    BigDecimal balance,
    String status,
    long version,
    Instant openedAt,
    Instant lastActivityAt,
    long transactionCount,
    long missingVersions) {
  /** The key of the owner index: the data subject, or the account id for events without one. */
  public String subject() {
    return ownerId != null ? ownerId : accountId;
  }
}
