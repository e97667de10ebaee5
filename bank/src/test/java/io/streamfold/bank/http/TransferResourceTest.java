package io.streamfold.bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.bank.transfer.TransferCommand.RequestTransfer;
import io.streamfold.command.domain.Rejection;
import io.streamfold.command.http.AggregateResource.Reference;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a transfer request has looked up before it is decided, and what it refuses on. */
class TransferResourceTest {
  final TransferResource resource = new TransferResource();
  final RequestTransfer request = new RequestTransfer("a", "b", new BigDecimal("1.50"), "EUR");

  static JsonNode account(String currency) {
    return new ObjectMapper().createObjectNode().put("status", "OPEN").put("currency", currency);
  }

  @Test
  void shouldLookUpBothAccountsUnlessTheRequestIsRefusedAsSuch() {
    assertThat(resource.references(request))
        .containsExactly(new Reference("accounts", "a"), new Reference("accounts", "b"));
    assertThat(resource.references(new RequestTransfer("a", "a", BigDecimal.ONE, "EUR"))).isEmpty();
    assertThat(resource.references(new RequestTransfer("a", "b", new BigDecimal("0.001"), "EUR")))
        .isEmpty();
  }

  @Test
  void shouldRefuseAnUnknownAccountOrAnotherCurrencyAndLetTheRestGoOn() {
    Map<Reference, JsonNode> states = new HashMap<>();
    states.put(new Reference("accounts", "a"), account("EUR"));
    states.put(new Reference("accounts", "b"), account("EUR"));
    assertThat(resource.check(request, null, states)).isNull();

    states.put(new Reference("accounts", "b"), null);
    Rejection unknown = resource.check(request, null, states);
    assertThat(unknown.kind()).isEqualTo(Rejection.Kind.BUSINESS_RULE);
    assertThat(unknown.code()).isEqualTo("unknown-account");
    assertThat(unknown.message()).contains("b", "credit");

    io.streamfold.bank.transfer.Transfer existing =
        new io.streamfold.bank.transfer.Transfer(
            io.streamfold.bank.transfer.Transfer.Status.FAILED,
            "a",
            "b",
            BigDecimal.ONE,
            "EUR",
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH,
            false,
            "not-found",
            "No account b");
    assertThat(resource.check(request, existing, states))
        .as("an existing transfer: the decider answers (409)")
        .isNull();
    assertThat(resource.check(request, io.streamfold.bank.transfer.Transfer.NONE, states))
        .isEqualTo(unknown);

    states.put(
        new Reference("accounts", "b"),
        new ObjectMapper().createObjectNode().put("status", "CLOSED").put("currency", "EUR"));
    Rejection closed = resource.check(request, null, states);
    assertThat(closed.code()).isEqualTo("account-closed");
    assertThat(closed.message()).contains("credit", "b");

    states.put(new Reference("accounts", "b"), account("EUR"));
    states.put(new Reference("accounts", "a"), account("USD"));
    Rejection other = resource.check(request, null, states);
    assertThat(other.code()).isEqualTo("currency-mismatch");
    assertThat(other.message()).contains("debit", "USD", "EUR");
  }
}
