package io.streamfold.projection.view;

import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.account.MoneyWithdrawn;
import java.math.BigDecimal;
import java.time.Instant;

/** Folds one account event into the account's summary, its history entry and the stats change. */
public final class AccountProjector {
  private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

  private AccountProjector() {}

  /**
   * @param current the summary so far, or null before the first event
   */
  public static Projected apply(AccountSummary current, AccountEvent event) {
    long seen = current == null ? 0 : current.version();
    if (event.getVersion() <= seen) {
      return new Projected.Skipped(seen, event.getVersion());
    }
    long missing = event.getVersion() - seen - 1;
    Object payload = event.getPayload();
    AccountSummary base =
        current != null
            ? current
            : new AccountSummary(
                event.getAggregateId(), null, null, null, ZERO, "UNKNOWN", 0, null, null, 0, 0);
    if (payload instanceof AccountOpened opened) {
      BigDecimal deposit = Amounts.normalize(opened.getInitialDeposit());
      AccountSummary next =
          new AccountSummary(
              event.getAggregateId(),
              opened.getOwner(),
              opened.getOwnerId(),
              opened.getCurrency(),
              deposit,
              "OPEN",
              event.getVersion(),
              event.getOccurredAt(),
              latest(base.lastActivityAt(), event.getOccurredAt()),
              base.transactionCount() + 1,
              base.missingVersions() + missing);
      return applied(
          next,
          event,
          "OPENED",
          deposit,
          new StatsDelta(opened.getCurrency(), 1, 0, deposit),
          missing,
          next.subject());
    } else if (payload instanceof MoneyDeposited deposited) {
      return money(
          base,
          event,
          "DEPOSIT",
          Amounts.normalize(deposited.getAmount()),
          missing,
          deposited.getTransferId(),
          deposited.getCounterparty());
    } else if (payload instanceof MoneyWithdrawn withdrawn) {
      return money(
          base,
          event,
          "WITHDRAWAL",
          Amounts.normalize(withdrawn.getAmount()).negate(),
          missing,
          withdrawn.getTransferId(),
          withdrawn.getCounterparty());
    } else if (payload instanceof AccountClosed) {
      AccountSummary next = evolve(base, event, base.balance(), "CLOSED", missing);
      return applied(
          next, event, "CLOSED", ZERO, new StatsDelta(base.currency(), -1, 1, ZERO), missing, null);
    }
    throw new IllegalArgumentException("Unknown account event payload " + payload);
  }

  private static Projected money(
      AccountSummary base,
      AccountEvent event,
      String type,
      BigDecimal signed,
      long missing,
      String transferId,
      String counterparty) {
    AccountSummary next =
        evolve(base, event, Amounts.normalize(base.balance().add(signed)), base.status(), missing);
    return new Projected.Applied(
        next,
        new Transaction(
            event.getVersion(),
            type,
            signed.abs(),
            next.balance(),
            event.getOccurredAt(),
            event.getEventId(),
            transferId,
            counterparty),
        new StatsDelta(base.currency(), 0, 0, signed),
        missing,
        null);
  }

  private static AccountSummary evolve(
      AccountSummary base, AccountEvent event, BigDecimal balance, String status, long missing) {
    return new AccountSummary(
        base.accountId(),
        base.owner(),
        base.ownerId(),
        base.currency(),
        balance,
        status,
        event.getVersion(),
        base.openedAt(),
        latest(base.lastActivityAt(), event.getOccurredAt()),
        base.transactionCount() + 1,
        base.missingVersions() + missing);
  }

  /**
   * Business time as the summary keeps it: never earlier than before, so {@code asOf} reads see the
   * versions in time order even in a log written before the writer made time monotonic.
   */
  private static Instant latest(Instant before, Instant at) {
    return before == null || at.isAfter(before) ? at : before;
  }

  private static Projected applied(
      AccountSummary next,
      AccountEvent event,
      String type,
      BigDecimal amount,
      StatsDelta delta,
      long missing,
      String subject) {
    Transaction transaction =
        new Transaction(
            event.getVersion(),
            type,
            amount,
            next.balance(),
            event.getOccurredAt(),
            event.getEventId());
    return new Projected.Applied(next, transaction, delta, missing, subject);
  }
}
