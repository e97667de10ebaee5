package io.streamfold.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamfold.bank.account.Account;
import io.streamfold.bank.account.AccountCommand;
import io.streamfold.bank.account.AccountDecider;
import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.http.AggregateResource;
import io.streamfold.command.http.JsonBody;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.crypto.SubjectErasedException;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The account's HTTP bodies: {@code open {owner, ownerId?, currency, initialDeposit?}}, {@code
 * deposit {amount}}, {@code withdraw {amount}}, {@code close {reason?}}.
 *
 * <p>The owner's name is personal data of the subject {@code ownerId} (the account id when the
 * request names none): it is sealed here, as the request arrives, and opened only to render an
 * answer ({@link PersonalData}).
 */
public final class AccountResource
    implements AggregateResource<AccountCommand, AccountEvent, Account> {
  private static final int MAX_REASON = 500;

  private final PersonalData personal;
  private final Map<String, CommandParser<AccountCommand>> actions;

  public AccountResource(PersonalData personal) {
    this.personal = personal;
    this.actions =
        Map.of(
            "open", this::open,
            "deposit", (body, id) -> new AccountCommand.Deposit(body.positiveAmount("amount")),
            "withdraw", (body, id) -> new AccountCommand.Withdraw(body.positiveAmount("amount")),
            "close",
                (body, id) ->
                    new AccountCommand.CloseAccount(body.optionalString("reason", MAX_REASON)));
  }

  @Override
  public Map<String, CommandParser<AccountCommand>> actions() {
    return actions;
  }

  private AccountCommand open(JsonBody body, String id) {
    String owner = body.requiredString("owner", AccountDecider.MAX_OWNER_LENGTH);
    String subject = subject(body, id);
    return new AccountCommand.OpenAccount(
        keys(() -> personal.seal(subject, "owner", owner), subject),
        subject,
        body.currency("currency"),
        body.amount("initialDeposit", false));
  }

  /** The request's {@code ownerId}, or the account id. */
  private static String subject(JsonBody body, String id) {
    String ownerId = body.id("ownerId", false);
    return ownerId == null ? id : ownerId;
  }

  /**
   * The owner's name in a request's fingerprint is a keyed digest, so that the fingerprint kept
   * with an idempotency record and with the events says nothing of the name once the subject is
   * forgotten.
   */
  @Override
  public JsonNode fingerprinted(String action, String id, JsonNode body) {
    JsonNode owner = body.get("owner");
    if (!action.equals("open") || owner == null || !owner.isTextual()) {
      return body;
    }
    JsonNode ownerId = body.get("ownerId");
    String subject = ownerId != null && ownerId.isTextual() ? ownerId.textValue() : id;
    ObjectNode copy = body.deepCopy();
    copy.put("owner", keys(() -> personal.blind(subject, "owner", owner.textValue()), subject));
    return copy;
  }

  /** A data-key operation, its failures as problems: a forgotten subject, or keys unavailable. */
  private static String keys(Supplier<String> operation, String subject) {
    try {
      return operation.get();
    } catch (SubjectErasedException e) {
      throw new ProblemException(
          Problem.of(
              422,
              "subject-erased",
              "Subject erased",
              "The data subject "
                  + subject
                  + " was forgotten; nothing personal is stored for it again"));
    } catch (RuntimeException e) {
      throw ProblemException.unavailable(
          "keys-unavailable", "The data keys cannot be used now: " + e.getMessage(), 1);
    }
  }

  @Override
  public boolean creates(AccountCommand command) {
    return command instanceof AccountCommand.OpenAccount;
  }

  @Override
  public String eventType(AccountEvent event) {
    return event.getClass().getSimpleName();
  }

  @Override
  public Map<String, Object> eventData(AccountEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (event instanceof AccountEvent.AccountOpened opened) {
      owner(data, opened.ownerId(), opened.owner());
      data.put("currency", opened.currency());
      data.put("initialDeposit", opened.initialDeposit().toPlainString());
    } else if (event instanceof AccountEvent.MoneyDeposited deposited) {
      data.put("amount", deposited.amount().toPlainString());
    } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
      data.put("amount", withdrawn.amount().toPlainString());
    } else if (event instanceof AccountEvent.AccountClosed closed) {
      data.put("reason", closed.reason());
    } else {
      throw new IllegalArgumentException("Unknown account event " + event);
    }
    return data;
  }

  @Override
  public Map<String, Object> stateView(Account state) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", state.status().name());
    owner(view, state.ownerId(), state.owner());
    view.put("currency", state.currency());
    view.put("balance", state.balance().toPlainString());
    view.put("openedAt", state.openedAt() == null ? null : state.openedAt().toString());
    return view;
  }

  /**
   * {@code owner} (null once its subject is forgotten, with {@code ownerErased: true}) and {@code
   * ownerId}.
   */
  private void owner(Map<String, Object> view, String ownerId, String stored) {
    PersonalData.Opened owner = personal.open(ownerId, "owner", stored);
    view.put("owner", owner.value());
    if (ownerId != null) {
      view.put("ownerId", ownerId);
    }
    if (owner.erased()) {
      view.put("ownerErased", true);
    }
    if (owner.error() != null) {
      view.put("ownerUnreadable", owner.error());
    }
  }
}
