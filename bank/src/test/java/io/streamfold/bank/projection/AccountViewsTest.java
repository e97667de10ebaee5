package io.streamfold.bank.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.account.MoneyWithdrawn;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountViewsTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  /** Shows a sealed value as "open(<subject>:<value>)", so that a test sees it went through. */
  private static final PersonalFields OPENED =
      (body, field, subject, stored) ->
          body.put(field, subject == null ? stored : "open(" + subject + ":" + stored + ")");

  private final AccountViews views = new AccountViews();

  private static AccountEvent event(long version, Instant at, Object payload) {
    return AccountEvent.newBuilder()
        .setEventId("acc-1-" + version)
        .setAggregateType("account")
        .setAggregateId("acc-1")
        .setVersion(version)
        .setOccurredAt(at)
        .setCommandId("c-" + version)
        .setCorrelationId("corr")
        .setPayload(payload)
        .build();
  }

  private static BigDecimal amount(String value) {
    return new BigDecimal(value).setScale(4);
  }

  private AccountSummary fold(AccountEvent... events) {
    AccountSummary view = null;
    for (AccountEvent event : events) {
      view = views.apply(view, event);
    }
    return view;
  }

  @Test
  void shouldFoldAnAccountsLifeIntoItsBalanceStatusAndTimes() {
    AccountSummary view =
        fold(
            event(1, T0, new AccountOpened("sealed-ada", "EUR", amount("100"), "subject-1")),
            event(2, T0.plusSeconds(1), new MoneyDeposited(amount("20.5"), null, null)),
            event(3, T0.plusSeconds(2), new MoneyWithdrawn(amount("0.25"), "t-9", "acc-2")),
            event(4, T0.plusSeconds(3), new AccountClosed("moving")));

    assertThat(view)
        .isEqualTo(
            new AccountSummary(
                "sealed-ada",
                "subject-1",
                "EUR",
                new BigDecimal("120.25"),
                "CLOSED",
                T0,
                T0.plusSeconds(3),
                4));
  }

  @Test
  void shouldKeepWhatLaterEventsDidWhenTheOpeningIsMissingAndNeverGoBackInTime() {
    AccountSummary view =
        fold(
            event(2, T0.plusSeconds(5), new MoneyDeposited(amount("7"), null, null)),
            event(3, T0, new MoneyWithdrawn(amount("2"), null, null)));

    assertThat(view.status()).isEqualTo("UNKNOWN");
    assertThat(view.currency()).isNull();
    assertThat(view.balance()).isEqualByComparingTo("5");
    assertThat(view.lastActivityAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(views.totals().get(0).group().apply(view)).isNull(); // counted in no currency
  }

  @Test
  void shouldReadBackWhatItStoresWhateverIsKnown() {
    AccountSummary full =
        new AccountSummary(
            "sealed", "s-1", "BHD", new BigDecimal("-1.005"), "OPEN", T0, T0.plusMillis(7), 12);
    AccountSummary partial =
        new AccountSummary(null, null, null, new BigDecimal("3.00"), "UNKNOWN", null, T0, 1);

    assertThat(views.read(views.write(full))).isEqualTo(full);
    assertThat(views.read(views.write(partial))).isEqualTo(partial);
    byte[] future = views.write(full);
    future[0] = 2;
    assertThatThrownBy(() -> views.read(future)).hasMessageContaining("Unknown format");
  }

  @Test
  void shouldRenderTheAccountWithItsOwnerOpenedForItsSubject() {
    AccountSummary view =
        fold(event(1, T0, new AccountOpened("sealed-ada", "EUR", amount("10"), "subject-1")));

    Map<String, Object> body = views.render("acc-1", view, OPENED);

    assertThat(body)
        .containsEntry("accountId", "acc-1")
        .containsEntry("owner", "open(subject-1:sealed-ada)")
        .containsEntry("ownerId", "subject-1")
        .containsEntry("currency", "EUR")
        .containsEntry("balance", new BigDecimal("10.00"))
        .containsEntry("status", "OPEN")
        .containsEntry("openedAt", T0)
        .containsEntry("transactionCount", 1L);
  }

  @Test
  void shouldShowEachVersionWithTheTransactionThatMadeIt() {
    AccountEvent opened = event(1, T0, new AccountOpened("Ada", "EUR", amount("10"), null));
    AccountEvent credit =
        event(2, T0.plusSeconds(1), new MoneyDeposited(amount("2.5"), "t-1", "acc-2"));
    AccountSummary afterOpening = fold(opened);
    AccountSummary afterCredit = views.apply(afterOpening, credit);

    Map<String, Object> first = views.renderVersion("acc-1", afterOpening, opened, OPENED);
    Map<String, Object> second = views.renderVersion("acc-1", afterCredit, credit, OPENED);
    Map<String, Object> unknown = views.renderVersion("acc-1", afterCredit, null, OPENED);

    assertThat(first).containsEntry("owner", "Ada"); // no subject: plain text, put as it is
    assertThat(first.get("transaction"))
        .isEqualTo(
            Map.of(
                "type",
                "OPENED",
                "amount",
                new BigDecimal("10.00"),
                "balanceAfter",
                new BigDecimal("10.00"),
                "at",
                T0,
                "eventId",
                "acc-1-1"));
    assertThat(second.get("transaction"))
        .isEqualTo(
            Map.of(
                "type", "DEPOSIT",
                "amount", new BigDecimal("2.50"),
                "balanceAfter", new BigDecimal("12.50"),
                "at", T0.plusSeconds(1),
                "eventId", "acc-1-2",
                "transferId", "t-1",
                "counterparty", "acc-2"));
    assertThat(unknown).doesNotContainKey("transaction").containsEntry("transactionCount", 2L);
  }

  @Test
  void shouldCountEachAccountInItsCurrencyAsOpenOrClosedAndFindItUnderItsSubject() {
    AccountSummary open =
        fold(event(1, T0, new AccountOpened("sealed", "EUR", amount("10"), "subject-1")));
    AccountSummary closed = views.apply(open, event(2, T0, new AccountClosed("done")));
    var byCurrency = views.totals().get(0);

    assertThat(byCurrency.name()).isEqualTo("byCurrency");
    assertThat(byCurrency.group().apply(open)).isEqualTo("EUR");
    assertThat(byCurrency.amounts().apply(open))
        .isEqualTo(
            Map.of(
                "balance", new BigDecimal("10.00"),
                "open", BigDecimal.ONE,
                "closed", BigDecimal.ZERO));
    assertThat(byCurrency.amounts().apply(closed))
        .containsEntry("open", BigDecimal.ZERO)
        .containsEntry("closed", BigDecimal.ONE);
    assertThat(views.indexes().get(0).name()).isEqualTo("ownerId");
    assertThat(views.indexes().get(0).keys().apply(open)).containsExactly("subject-1");
  }

  @Test
  void shouldNameTheAccountEventsForSubscriptions() {
    assertThat(views.eventTypes())
        .containsExactlyInAnyOrder(
            "AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "AccountClosed");
  }
}
