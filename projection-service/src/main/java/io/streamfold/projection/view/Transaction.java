package io.streamfold.projection.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One entry of an account's history: what happened at {@code version}, and the balance after it.
 */
public record Transaction(
    long version,
    String type,
    BigDecimal amount,
    BigDecimal balanceAfter,
    Instant at,
    String eventId) {}
