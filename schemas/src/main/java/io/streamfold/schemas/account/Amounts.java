package io.streamfold.schemas.account;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts in the account events: decimal(20,4) in the schema (major 2), so every currency's minor
 * units (0 to 4) are exact; shown and kept by readers with at least 2 decimals and no trailing
 * zeros beyond (150.00, 12.34, 1.005, 0.1234), whichever major they were written with.
 */
public final class Amounts {
  /** The fewest decimals an amount is shown with. */
  public static final int MIN_SCALE = 2;

  /** The schema's scale. */
  public static final int SCALE = 4;

  private Amounts() {}

  /** The amount with at least 2 decimals and no trailing zeros beyond; exact. */
  public static BigDecimal normalize(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < MIN_SCALE ? stripped.setScale(MIN_SCALE) : stripped;
  }

  /** The amount at the schema's scale; exact, so it fails for more than 4 decimals. */
  public static BigDecimal toSchema(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
  }

  /** {@code amount} (a decimal string) at the schema's scale. */
  public static BigDecimal of(String amount) {
    return toSchema(new BigDecimal(amount));
  }
}
