package io.streamfold.command.domain.account;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amount rules: no more decimals than the currency's ISO 4217 minor units (0 for JPY, 2 for EUR),
 * and at most 2 and 16 integer digits in any case (the event schema's decimal(18,2)). A currency
 * with 3 or 4 minor units (BHD, KWD, CLF, …) cannot be held exactly at that scale and is refused
 * when an account is opened, until the schema carries the scale per currency.
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

  /**
   * How many decimals amounts in {@code currency} may have: its ISO 4217 minor units, 2 for a
   * currency without any (-1 in the JDK, e.g. XAU), or -1 if the schema cannot hold them exactly.
   */
  public static int decimals(String currency) {
    int minor = Currency.getInstance(currency).getDefaultFractionDigits();
    if (minor < 0) {
      return SCALE;
    }
    return minor <= SCALE ? minor : -1;
  }

  /** Whether {@code amount} is an exact amount of {@code currency} that the schema can hold. */
  public static boolean representable(BigDecimal amount, String currency) {
    return representable(amount) && amount.stripTrailingZeros().scale() <= decimals(currency);
  }

  /** The amount with exactly 2 decimals; only for representable amounts. */
  public static BigDecimal normalize(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
  }
}
