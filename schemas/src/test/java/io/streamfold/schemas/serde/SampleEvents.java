package io.streamfold.schemas.serde;

import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.account.MoneyWithdrawn;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One event of every type of the account aggregate. */
final class SampleEvents {
  private SampleEvents() {}

  static List<AccountEvent> all() {
    return List.of(
        event(1, new AccountOpened("Ada Lovelace", "EUR", new BigDecimal("100.0000"), null)),
        event(2, new MoneyDeposited(new BigDecimal("12345678.9100"), null, null)),
        event(3, new MoneyWithdrawn(new BigDecimal("0.0100"), null, null)),
        event(4, new AccountClosed("moved abroad")));
  }

  static AccountEvent event(long version, Object payload) {
    return AccountEvent.newBuilder()
        .setEventId("cmd-" + version + ":0")
        .setAggregateType("account")
        .setAggregateId("acc-1")
        .setVersion(version)
        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L + version))
        .setCommandId("cmd-" + version)
        .setCorrelationId("corr-1")
        .setPrincipal(version % 2 == 0 ? null : "alice")
        .setPayload(payload)
        .build();
  }
}
