package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Money transfers through the command service's HTTP API, on the real broker: the request is
 * answered 202 and the transfer's process moves the money through the accounts' inboxes, ending
 * {@code COMPLETED}, {@code FAILED} with nothing moved, or {@code REFUNDED}.
 */
class TransferIT {
  static Map<String, String> env;
  static CommandService service;
  static String base;

  @BeforeAll
  static void start() {
    env = Instances.environment("transfer-it");
    service = Instances.start(env);
    await().atMost(Duration.ofSeconds(60)).until(service::isReady);
    base = Instances.url(service) + "/api/v1/";
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static String id(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String account(String currency, String deposit) {
    String id = id("acc");
    Http.Response opened =
        Http.post(
            base + "accounts/" + id + "/open",
            "{\"owner\":\"Ada\",\"currency\":\""
                + currency
                + "\",\"initialDeposit\":\""
                + deposit
                + "\"}");
    assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
    return id;
  }

  private static Http.Response request(
      String transfer, String from, String to, String amount, String currency, String... headers) {
    return Http.post(
        base + "transfers/" + transfer + "/request",
        "{\"from\":\""
            + from
            + "\",\"to\":\""
            + to
            + "\",\"amount\":\""
            + amount
            + "\",\"currency\":\""
            + currency
            + "\"}",
        headers);
  }

  /** The transfer's write model once it has ended. */
  private static JsonNode ended(String transfer) {
    JsonNode[] state = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Http.Response read = Http.get(base + "transfers/" + transfer);
              if (read.status() != 200) {
                return false;
              }
              state[0] = read.json().get("state");
              return state[0].get("status").asText().matches("COMPLETED|FAILED|REFUNDED");
            });
    return state[0];
  }

  private static String balance(String account) {
    return Http.get(base + "accounts/" + account).json().get("state").get("balance").asText();
  }

  @Test
  void shouldMoveTheMoneyAndCompleteAnsweringTheRequest202() {
    String from = account("EUR", "100.00");
    String to = account("EUR", "5.00");
    String transfer = id("t");

    Http.Response accepted = request(transfer, from, to, "30.25", "EUR");

    assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(202);
    assertThat(accepted.header("Location")).isEqualTo("/api/v1/transfers/" + transfer);
    assertThat(accepted.json().get("events").get(0).get("type").asText())
        .isEqualTo("TransferRequested");
    JsonNode done = ended(transfer);
    assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.get("from").asText()).isEqualTo(from);
    assertThat(done.get("amount").asText()).isEqualTo("30.25");
    assertThat(balance(from)).isEqualTo("69.75");
    assertThat(balance(to)).isEqualTo("35.25");
    assertThat(Http.get(base + "transfers/" + transfer).json().get("version").asLong())
        .isEqualTo(4); // requested, verified, debited, completed
  }

  @Test
  void shouldFailWithNothingMovedWhenTheDebitIsRefused() {
    String from = account("EUR", "10.00");
    String to = account("EUR", "0");
    String transfer = id("t");

    assertThat(request(transfer, from, to, "50.00", "EUR").status()).isEqualTo(202);

    JsonNode failed = ended(transfer);
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("reason").get("code").asText()).isEqualTo("insufficient-funds");
    assertThat(balance(from)).isEqualTo("10.00");
    assertThat(balance(to)).isEqualTo("0.00");
  }

  @Test
  void shouldRefuseAtOnceWithNothingWrittenAnUnknownClosedOrOtherCurrencyAccount() {
    String from = account("EUR", "10.00");
    String unknown = id("t");
    CommandHttpIT.assertProblem(
        request(unknown, from, id("nobody"), "1.00", "EUR"), 422, "unknown-account");
    CommandHttpIT.assertProblem(
        request(unknown, id("nobody"), from, "1.00", "EUR"), 422, "unknown-account");
    assertThat(Http.get(base + "transfers/" + unknown).status()).isEqualTo(404);

    String dollars = account("USD", "0");
    String mismatch = id("t");
    Http.Response other = request(mismatch, from, dollars, "1.00", "EUR");
    CommandHttpIT.assertProblem(other, 422, "currency-mismatch");
    assertThat(other.json().get("detail").asText()).contains(dollars, "USD");
    CommandHttpIT.assertProblem( // the debit account's currency too
        request(mismatch, from, dollars, "1.00", "USD"), 422, "currency-mismatch");
    assertThat(Http.get(base + "transfers/" + mismatch).status()).isEqualTo(404);

    String closed = account("EUR", "0");
    assertThat(Http.post(base + "accounts/" + closed + "/close", "").status()).isEqualTo(200);
    String toClosed = id("t");
    CommandHttpIT.assertProblem(
        request(toClosed, from, closed, "1.00", "EUR"), 422, "account-closed");
    assertThat(Http.get(base + "transfers/" + toClosed).status()).isEqualTo(404);
    assertThat(balance(from)).isEqualTo("10.00");
    assertThat(balance(dollars)).isEqualTo("0.00");
  }

  /**
   * The accounts a request names are read where they are owned: with two instances, a transfer
   * whose accounts the other instance owns is checked against them there.
   */
  @Test
  void shouldCheckTheAccountsWhereTheyAreOwned() {
    String from = account("EUR", "10.00");
    try (CommandService second = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> second.isReady() && service.isReady());
      String transfer = id("t");
      String owner = servedBy(base + "transfers/" + transfer);
      String unknown = elsewhere(owner, () -> id("nobody"));
      String dollars = elsewhere(owner, () -> account("USD", "0"));
      String euros = elsewhere(owner, () -> account("EUR", "0"));

      CommandHttpIT.assertProblem(
          request(transfer, from, unknown, "1.00", "EUR"), 422, "unknown-account");
      CommandHttpIT.assertProblem(
          request(transfer, from, dollars, "1.00", "EUR"), 422, "currency-mismatch");
      assertThat(Http.get(base + "transfers/" + transfer).status()).isEqualTo(404);

      assertThat(request(transfer, from, euros, "1.00", "EUR").status()).isEqualTo(202);
      assertThat(ended(transfer).get("status").asText()).isEqualTo("COMPLETED");
      assertThat(balance(euros)).isEqualTo("1.00");
    }
    await() // the partitions back on the first instance before the next test
        .atMost(Duration.ofSeconds(60))
        .until(() -> Http.get(base + "accounts/" + from).status() == 200 && service.isReady());
  }

  /** The instance that owns the id of {@code url} (it answers even a 404 with its name). */
  private static String servedBy(String url) {
    String[] owner = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> (owner[0] = Http.get(url).header("X-Streamfold-Served-By")) != null);
    return owner[0];
  }

  /** The first id {@code next} gives whose account another instance than {@code owner} owns. */
  private static String elsewhere(String owner, java.util.function.Supplier<String> next) {
    for (int i = 0; i < 40; i++) {
      String id = next.get();
      if (!servedBy(base + "accounts/" + id).equals(owner)) {
        return id;
      }
    }
    throw new AssertionError("No account owned elsewhere than " + owner + " in 40 tries");
  }

  @Test
  void shouldRefundTheDebitWhenTheCreditIsRefused() {
    String from = account("EUR", "10.00");
    String full = account("EUR", "9999999999999999.00"); // at the balance limit: no credit fits
    String transfer = id("t");

    assertThat(request(transfer, from, full, "2.00", "EUR").status()).isEqualTo(202);

    JsonNode refunded = ended(transfer);
    assertThat(refunded.get("status").asText()).isEqualTo("REFUNDED");
    assertThat(refunded.get("reason").get("code").asText()).isEqualTo("balance-limit");
    assertThat(balance(from)).isEqualTo("10.00");
    assertThat(balance(full)).isEqualTo("9999999999999999.00");
  }

  @Test
  void shouldRefuseTheSameAccountAndBadBodiesWritingNothing() {
    String from = account("EUR", "10.00");
    String same = id("t");
    Http.Response refused = request(same, from, from, "1.00", "EUR");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("type").asText()).endsWith("same-account");
    assertThat(Http.get(base + "transfers/" + same).status()).isEqualTo(404);

    assertThat(request(id("t"), from, "b", "1.001", "EUR").status()).isEqualTo(400);
    assertThat(request(id("t"), from, "b", "-1", "EUR").status()).isEqualTo(400);
    assertThat(request(id("t"), from, "b", "1", "EURO").status()).isEqualTo(400);
    assertThat(request(id("t"), "bad id!", "b", "1", "EUR").status()).isEqualTo(400);
    assertThat(
            Http.post(base + "transfers/" + id("t") + "/request", "{\"from\":\"" + from + "\"}")
                .status())
        .isEqualTo(400);
    assertThat(balance(from)).isEqualTo("10.00");
  }

  @Test
  void shouldAnswerARepeatedRequestWithItsFirstOutcomeAndRefuseAnotherUnderTheSameKey() {
    String from = account("EUR", "10.00");
    String to = account("EUR", "0");
    String transfer = id("t");

    Http.Response first = request(transfer, from, to, "1.00", "EUR", "Idempotency-Key", "k1");
    Http.Response again = request(transfer, from, to, "1.00", "EUR", "Idempotency-Key", "k1");
    Http.Response other = request(transfer, from, to, "2.00", "EUR", "Idempotency-Key", "k1");
    Http.Response unkeyed = request(transfer, from, to, "1.00", "EUR");

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.header("ETag")).isEqualTo("\"1\"");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().get("type").asText()).endsWith("idempotency-key-reused");
    assertThat(unkeyed.status()).isEqualTo(409);
    assertThat(ended(transfer).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(balance(from)).isEqualTo("9.00");
    assertThat(balance(to)).isEqualTo("1.00");
  }
}
