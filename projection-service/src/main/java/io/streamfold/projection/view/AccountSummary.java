package io.streamfold.projection.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The account summary read model.
 *
 * @param version the last event version applied
 * @param missingVersions how many versions were never seen (gaps); 0 for a complete history
 */
public record AccountSummary(
    String accountId,
    String owner,
    String currency,
    BigDecimal balance,
    String status,
    long version,
    Instant openedAt,
    Instant lastActivityAt,
    long transactionCount,
    long missingVersions) {}
