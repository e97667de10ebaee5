package io.streamfold.command.domain.account;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amount rules: at most 2 decimals, and at most 16 integer digits (the event schema's
 * decimal(18,2)).
 */
public final class Money {
  public static final int SCALE = 2;
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);
  public static final BigDecimal MAX = new BigDecimal("9999999999999999.99");

  private Money() {}

  /** Whether {@code amount} fits the schema exactly: no more than 2 decimals, within ±MAX. */
  public static boolean representable(BigDecimal amount) {
    return amount != null
        && amount.stripTrailingZeros().scale() <= SCALE
        && amount.abs().compareTo(MAX) <= 0;
  }

  /** The amount with exactly 2 decimals; only for representable amounts. */
  public static BigDecimal normalize(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
  }
}
