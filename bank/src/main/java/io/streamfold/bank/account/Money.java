package io.streamfold.bank.account;

import io.streamfold.schemas.account.Amounts;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * Amount rules: no more decimals than the currency's ISO 4217 minor units (0 for JPY, 2 for EUR, 3
 * for BHD, 4 for CLF), at most 16 integer digits, and never more than 4 decimals (the event
 * schema's decimal(20,4)). Amounts are kept and shown with at least 2 decimals and no trailing
 * zeros beyond (JPY 150 is 150.00, BHD 1.005 stays 1.005), the same whether just decided or read
 * back from an event.
 */
public final class Money {
  /** The fewest decimals an amount is shown with. */
  public static final int SCALE = Amounts.MIN_SCALE;

  /** The most decimals an amount can have: the event schema's scale. */
  public static final int MAX_SCALE = Amounts.SCALE;

  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);
  public static final BigDecimal MAX = new BigDecimal("9999999999999999.99");

  private Money() {}

  /** Whether {@code amount} fits the schema exactly: at most 4 decimals, within ±MAX. */
  public static boolean representable(BigDecimal amount) {
    return amount != null
        && amount.stripTrailingZeros().scale() <= MAX_SCALE
        && amount.abs().compareTo(MAX) <= 0;
  }

  /**
   * How many decimals amounts in {@code currency} may have: its ISO 4217 minor units, 2 for a
   * currency without any (-1 in the JDK, e.g. XAU), or -1 if the schema cannot hold them exactly.
   */
  public static int decimals(String currency) {
    int minor = Currency.getInstance(currency).getDefaultFractionDigits();
    if (minor < 0) {
      return SCALE;
    }
    return minor <= MAX_SCALE ? minor : -1;
  }

  /** Whether {@code amount} is an exact amount of {@code currency} that the schema can hold. */
  public static boolean representable(BigDecimal amount, String currency) {
    return representable(amount) && amount.stripTrailingZeros().scale() <= decimals(currency);
  }

  /** The amount with at least 2 decimals and no trailing zeros beyond; exact. */
  public static BigDecimal normalize(BigDecimal amount) {
    return Amounts.normalize(amount);
  }

  /** The amount at the schema's scale, for an event; exact (only for representable amounts). */
  public static BigDecimal toSchema(BigDecimal amount) {
    return Amounts.toSchema(amount);
  }
}
