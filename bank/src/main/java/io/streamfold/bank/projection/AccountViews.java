package io.streamfold.bank.projection;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.account.MoneyWithdrawn;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The accounts' view ({@code GET /api/v1/accounts/{id}}, with {@code minVersion} and {@code asOf}):
 * a plug-in of the projection service, folding {@code accounts.events} into {@code account-views}.
 * Its history is the ledger of an account ({@code GET /api/v1/accounts/{id}/history}: each version
 * with the transaction that made it, and the balance after it), its index the accounts of an owner
 * ({@code GET /api/v1/accounts?ownerId=<subject>}), its total the money held per currency ({@code
 * GET /api/v1/totals/accounts/byCurrency}).
 */
public final class AccountViews implements ViewProjection<AccountEvent, AccountSummary> {
  private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

  @Override
  public String store() {
    return "account-views";
  }

  @Override
  public String collection() {
    return "accounts";
  }

  @Override
  public Function<byte[], AccountEvent> decoder(SchemaRegistry registry) {
    return AvroSerde.of(AccountEvent.class, registry, false)::decode;
  }

  @Override
  public String key(AccountEvent event) {
    return event.getAggregateId();
  }

  @Override
  public long version(AccountEvent event) {
    return event.getVersion();
  }

  /** An account's ledger, its {@code asOf} reads and its stream reads. */
  @Override
  public boolean history() {
    return true;
  }

  /**
   * {@code GET /api/v1/accounts?ownerId=<subject>}: the accounts of a data subject (the account's
   * own id for an account opened before subjects), never of a personal value such as a name.
   */
  @Override
  public List<Index<AccountSummary>> indexes() {
    return List.of(
        new Index<>("ownerId", view -> java.util.Collections.singletonList(view.ownerId())));
  }

  /**
   * {@code GET /api/v1/totals/accounts/byCurrency}: per currency, how many accounts were opened in
   * it ({@code count}), the money they hold ({@code balance}), and how many of them are {@code
   * open} and {@code closed} (each account adds 1 to one of the two).
   */
  @Override
  public List<Total<AccountSummary>> totals() {
    return List.of(
        new Total<>(
            "byCurrency",
            AccountSummary::currency,
            view ->
                Map.of(
                    "balance", view.balance(),
                    "open", "OPEN".equals(view.status()) ? BigDecimal.ONE : BigDecimal.ZERO,
                    "closed", "CLOSED".equals(view.status()) ? BigDecimal.ONE : BigDecimal.ZERO)));
  }

  /** The payload union's records: a subscription's {@code types=} is checked against them. */
  @Override
  public List<String> eventTypes() {
    return PayloadTypes.of(AccountEvent.getClassSchema());
  }

  @Override
  public AccountSummary apply(AccountSummary current, AccountEvent event) {
    Object payload = event.getPayload();
    Instant at = event.getOccurredAt();
    // the opening is missing (a gap): what is known is what the later events did
    AccountSummary base =
        current != null
            ? current
            : new AccountSummary(null, null, null, ZERO, "UNKNOWN", null, null, 0);
    if (payload instanceof AccountOpened opened) {
      return new AccountSummary(
          opened.getOwner(),
          opened.getOwnerId(),
          opened.getCurrency(),
          Amounts.normalize(opened.getInitialDeposit()),
          "OPEN",
          at,
          latest(base.lastActivityAt(), at),
          base.transactionCount() + 1);
    } else if (payload instanceof MoneyDeposited deposited) {
      return evolve(base, at, base.balance().add(deposited.getAmount()), base.status());
    } else if (payload instanceof MoneyWithdrawn withdrawn) {
      return evolve(base, at, base.balance().subtract(withdrawn.getAmount()), base.status());
    } else if (payload instanceof AccountClosed) {
      return evolve(base, at, base.balance(), "CLOSED");
    }
    throw new IllegalArgumentException("Unknown account event payload " + payload);
  }

  private static AccountSummary evolve(
      AccountSummary base, Instant at, BigDecimal balance, String status) {
    return new AccountSummary(
        base.owner(),
        base.ownerId(),
        base.currency(),
        Amounts.normalize(balance),
        status,
        base.openedAt(),
        latest(base.lastActivityAt(), at),
        base.transactionCount() + 1);
  }

  /**
   * Business time as the view keeps it: never earlier than before, even in a log written before the
   * writer made time monotonic.
   */
  private static Instant latest(Instant before, Instant at) {
    return before == null || at.isAfter(before) ? at : before;
  }

  @Override
  public Map<String, Object> render(String id, AccountSummary view, PersonalFields personal) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", id);
    personal.put(body, "owner", view.ownerId(), view.owner());
    if (view.ownerId() != null) {
      body.put("ownerId", view.ownerId());
    }
    body.put("currency", view.currency());
    body.put("balance", view.balance());
    body.put("status", view.status());
    body.put("openedAt", view.openedAt());
    body.put("lastActivityAt", view.lastActivityAt());
    body.put("transactionCount", view.transactionCount());
    return body;
  }

  /**
   * A version of an account's history is a line of its ledger: the account after it, and the {@code
   * transaction} that made it ({@code type} {@code OPENED}, {@code DEPOSIT}, {@code WITHDRAWAL} or
   * {@code CLOSED}, its {@code amount}, the {@code balanceAfter}, its time {@code at}, its {@code
   * eventId}, and for a transfer's movement the {@code transferId} and {@code counterparty}).
   */
  @Override
  public Map<String, Object> renderVersion(
      String id, AccountSummary after, AccountEvent event, PersonalFields personal) {
    Map<String, Object> body = render(id, after, personal);
    if (event != null) {
      body.put("transaction", transaction(after, event));
    }
    return body;
  }

  private static Map<String, Object> transaction(AccountSummary after, AccountEvent event) {
    Object payload = event.getPayload();
    Map<String, Object> transaction = new LinkedHashMap<>();
    String transferId = null;
    String counterparty = null;
    if (payload instanceof AccountOpened opened) {
      transaction.put("type", "OPENED");
      transaction.put("amount", Amounts.normalize(opened.getInitialDeposit()));
    } else if (payload instanceof MoneyDeposited deposited) {
      transaction.put("type", "DEPOSIT");
      transaction.put("amount", Amounts.normalize(deposited.getAmount()));
      transferId = deposited.getTransferId();
      counterparty = deposited.getCounterparty();
    } else if (payload instanceof MoneyWithdrawn withdrawn) {
      transaction.put("type", "WITHDRAWAL");
      transaction.put("amount", Amounts.normalize(withdrawn.getAmount()));
      transferId = withdrawn.getTransferId();
      counterparty = withdrawn.getCounterparty();
    } else {
      transaction.put("type", "CLOSED");
      transaction.put("amount", ZERO);
    }
    transaction.put("balanceAfter", after.balance());
    transaction.put("at", event.getOccurredAt());
    transaction.put("eventId", event.getEventId());
    if (transferId != null) {
      transaction.put("transferId", transferId);
      transaction.put("counterparty", counterparty);
    }
    return transaction;
  }

  /** Format 1: the fields in order, absent ones flagged, times in epoch milliseconds. */
  @Override
  public byte[] write(AccountSummary view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      Stored.string(out, view.owner());
      Stored.string(out, view.ownerId());
      Stored.string(out, view.currency());
      Stored.decimal(out, view.balance());
      out.writeUTF(view.status());
      Stored.instant(out, view.openedAt());
      Stored.instant(out, view.lastActivityAt());
      out.writeLong(view.transactionCount());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public AccountSummary read(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      if (in.readByte() != 1) {
        throw new IllegalStateException("Unknown format of an account view");
      }
      return new AccountSummary(
          Stored.string(in),
          Stored.string(in),
          Stored.string(in),
          Stored.decimal(in),
          in.readUTF(),
          Stored.instant(in),
          Stored.instant(in),
          in.readLong());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
