package io.streamfold.bank.projection;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An account as the projection service shows it (its id, version and gaps are the platform's).
 *
 * @param owner the owner's name as the event holds it: sealed for {@code ownerId}, or plain text
 *     when {@code ownerId} is null (events from before subjects); opened only to answer
 * @param ownerId the data subject of the owner's name
 * @param currency null until the account's opening is seen (its first events missing)
 * @param status {@code OPEN}, {@code CLOSED}, or {@code UNKNOWN} until the opening is seen
 * @param lastActivityAt the latest business time so far: never decreasing along the versions
 * @param transactionCount the events folded into it
 */
public record AccountSummary(
    String owner,
    String ownerId,
    String currency,
    BigDecimal balance,
    String status,
    Instant openedAt,
    Instant lastActivityAt,
    long transactionCount) {}
