package io.streamfold.projection.view;

import io.streamfold.schemas.account.Amounts;
import java.math.BigDecimal;

/** Ledger statistics of one currency: accounts by status and the total balance. */
public record CurrencyStats(String currency, long open, long closed, BigDecimal totalBalance) {
  public static CurrencyStats empty(String currency) {
    return new CurrencyStats(currency, 0, 0, BigDecimal.ZERO.setScale(2));
  }

  public CurrencyStats plus(StatsDelta delta) {
    return new CurrencyStats(
        currency,
        open + delta.open(),
        closed + delta.closed(),
        Amounts.normalize(totalBalance.add(delta.balance())));
  }
}
