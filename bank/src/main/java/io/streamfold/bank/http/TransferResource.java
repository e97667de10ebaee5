package io.streamfold.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.bank.transfer.Transfer;
import io.streamfold.bank.transfer.TransferCommand;
import io.streamfold.bank.transfer.TransferDecider;
import io.streamfold.bank.transfer.TransferEvent;
import io.streamfold.bank.transfer.TransferProcess;
import io.streamfold.command.domain.Rejection;
import io.streamfold.command.http.AggregateResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer's HTTP body: {@code request {from, to, amount, currency}}. A transfer is a process:
 * the request is answered 202 once the transfer is recorded, and its steps follow ({@code GET
 * /api/v1/transfers/{id}} here for the write model, or on the projection service). A request naming
 * an account that does not exist, is closed, or holds another currency is refused at once (422)
 * with nothing written: none of these can change before the transfer runs (an account is never
 * reopened, and its currency is fixed when it is opened). An account that closes meanwhile, or
 * funds that run short, are the process's to find (the transfer ends {@code FAILED} or {@code
 * REFUNDED}).
 */
public final class TransferResource
    implements AggregateResource<TransferCommand, TransferEvent, Transfer> {
  private final Map<String, CommandParser<TransferCommand>> actions =
      Map.of(
          "request",
          (body, id) ->
              new TransferCommand.RequestTransfer(
                  body.id("from", true),
                  body.id("to", true),
                  body.positiveAmount("amount"),
                  body.currency("currency")));

  @Override
  public Map<String, CommandParser<TransferCommand>> actions() {
    return actions;
  }

  @Override
  public boolean creates(TransferCommand command) {
    return command instanceof TransferCommand.RequestTransfer;
  }

  @Override
  public boolean continues(TransferCommand command) {
    return true;
  }

  @Override
  public List<Reference> references(TransferCommand command) {
    // a request refused as such (the same account twice, a bad amount) is answered so when decided
    return command instanceof TransferCommand.RequestTransfer request
            && TransferDecider.refusedAsSuch(request) == null
        ? List.of(account(request.from()), account(request.to()))
        : List.of();
  }

  @Override
  public Rejection check(
      TransferCommand command, Transfer current, Map<Reference, JsonNode> states) {
    if (current != null && current.status() != Transfer.Status.NONE) {
      return null; // the transfer exists: refused as such when decided (409, or 412)
    }
    TransferCommand.RequestTransfer request = (TransferCommand.RequestTransfer) command;
    for (String id : List.of(request.from(), request.to())) {
      JsonNode account = states.get(account(id));
      String role = id.equals(request.from()) ? "debit" : "credit";
      if (account == null) {
        return Rejection.businessRule(
            "unknown-account", "No account " + id + " (the " + role + " account)");
      }
      if ("CLOSED".equals(account.path("status").asText())) {
        return Rejection.businessRule(
            "account-closed", "The " + role + " account " + id + " is closed");
      }
      String currency = account.path("currency").asText();
      if (!currency.equals(request.currency())) {
        return Rejection.businessRule(
            "currency-mismatch",
            "The "
                + role
                + " account "
                + id
                + " holds "
                + currency
                + ", not "
                + request.currency());
      }
    }
    return null;
  }

  private static Reference account(String id) {
    return new Reference(TransferProcess.ACCOUNTS, id);
  }

  @Override
  public String eventType(TransferEvent event) {
    return event.getClass().getSimpleName();
  }

  @Override
  public Map<String, Object> eventData(TransferEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (event instanceof TransferEvent.TransferRequested requested) {
      data.put("from", requested.from());
      data.put("to", requested.to());
      data.put("amount", requested.amount().toPlainString());
      data.put("currency", requested.currency());
      data.put("deadline", requested.deadline().toString());
    } else if (event instanceof TransferEvent.TransferFailed failed) {
      data.put("code", failed.code());
      data.put("message", failed.message());
    } else if (event instanceof TransferEvent.RefundStarted refund) {
      data.put("code", refund.code());
      data.put("message", refund.message());
    }
    return data;
  }

  @Override
  public Map<String, Object> stateView(Transfer state) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", state.status().name());
    view.put("from", state.from());
    view.put("to", state.to());
    view.put("amount", state.amount().toPlainString());
    view.put("currency", state.currency());
    view.put("requestedAt", state.requestedAt().toString());
    view.put("deadline", state.deadline().toString());
    view.put("timedOut", state.timedOut());
    if (state.reasonCode() != null) {
      view.put("reason", Map.of("code", state.reasonCode(), "message", state.reasonMessage()));
    }
    return view;
  }
}
