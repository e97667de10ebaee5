package io.streamfold.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The checker itself: clean on an honest log, and it catches each kind of wrong it claims to — a
 * lost acknowledged command, an event written twice, an event of a refused command, an event nobody
 * issued, an amount or account other than the command's, an answer naming other events than the log
 * holds, a projection that differs from the log.
 */
class InvariantCheckerIT {
  @Test
  void shouldPassAnHonestLogAndCatchEveryKindOfWrong() throws Exception {
    Map<String, String> env = Instances.environment("checker");
    try (CommandService service = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(90)).until(service::isReady);
      Ledger ledger = new Ledger();
      Workload workload =
          new Workload(
                  () -> List.of(Instances.url(service)),
                  ledger,
                  new Workload.Options(List.of("a", "b", "c"), 3, false, Duration.ofSeconds(30), 0))
              .start();
      workload.awaitAnswered(50, Duration.ofSeconds(60));
      workload.stop();
      String topic = env.get("TOPIC_PREFIX") + "accounts.events";
      InvariantChecker checker =
          new InvariantChecker(
              SharedStack.broker().bootstrapServers(), SharedStack.registry().url(), topic);

      InvariantChecker.Report honest = checker.check(ledger, List.of());
      assertThat(honest.violations()).as("%s", honest.examples()).isEmpty();
      assertThat(honest.eventsChecked()).isEqualTo(ledger.count(Ledger.Answer.ACCEPTED));

      Ledger.Command acknowledgedButMissing =
          ledger.issue("never-written", "a", new BigDecimal("1.00"));
      Ledger.accepted(acknowledgedButMissing, 200, List.of("no-such-event"));
      Ledger.Command refusedButWritten =
          ledger.all().stream()
              .filter(c -> c.answer == Ledger.Answer.ACCEPTED && c.commandId.length() > 30)
              .findFirst()
              .orElseThrow();
      Ledger.refused(refusedButWritten, 422);
      String bootstrap = SharedStack.broker().bootstrapServers();
      ConsumerRecord<byte[], byte[]> first = EventLog.readRaw(bootstrap, topic).get(0);
      EventLog.writeRaw(bootstrap, topic, first.key(), first.value());

      InvariantChecker.Report tampered = checker.check(ledger, List.of());
      assertThat(tampered.violations())
          .as("%s", tampered.examples())
          .containsEntry(InvariantChecker.Violation.LOST, 1)
          .containsEntry(InvariantChecker.Violation.REFUSED_BUT_APPLIED, 1)
          .containsEntry(InvariantChecker.Violation.DUPLICATE_EVENT_ID, 1)
          .containsEntry(InvariantChecker.Violation.DUPLICATED_COMMAND, 1)
          .containsKeys(
              InvariantChecker.Violation.VERSION_GAP, InvariantChecker.Violation.FOLD_MISMATCH);

      List<Ledger.Command> accepted =
          ledger.all().stream()
              .filter(c -> c.answer == Ledger.Answer.ACCEPTED && c.commandId.length() > 30)
              .filter(c -> c != refusedButWritten)
              .limit(2)
              .toList();
      AvroSerde<AccountEvent> events =
          AvroSerde.of(
              AccountEvent.class, HttpSchemaRegistry.cached(SharedStack.registry().url()), false);
      EventLog.writeRaw(
          bootstrap,
          topic,
          "b".getBytes(StandardCharsets.UTF_8),
          events.encode(topic, deposit("invented-1", "b", 1000, "nobody-sent-this")));
      String elsewhere = accepted.get(0).account.equals("c") ? "b" : "c";
      EventLog.writeRaw(
          bootstrap,
          topic,
          elsewhere.getBytes(StandardCharsets.UTF_8),
          events.encode(
              topic, deposit("misapplied-1", elsewhere, 1001, accepted.get(0).commandId)));
      Ledger.accepted(accepted.get(1), 200, List.of("an-event-the-log-does-not-hold"));
      HttpServer wrongProjection = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      wrongProjection.createContext(
          "/",
          exchange -> {
            byte[] body = "{\"version\": 1, \"balance\": \"0.00\"}".getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      wrongProjection.start();
      try {
        InvariantChecker.Report worse =
            checker.check(
                ledger, List.of("http://127.0.0.1:" + wrongProjection.getAddress().getPort()));
        assertThat(worse.violations())
            .as("%s", worse.examples())
            .containsEntry(InvariantChecker.Violation.INVENTED_EVENT, 1)
            .containsKeys(
                InvariantChecker.Violation.WRONG_AMOUNT_OR_ACCOUNT,
                InvariantChecker.Violation.EVENTS_DIFFER_FROM_RESPONSE,
                InvariantChecker.Violation.PROJECTION_MISMATCH);
      } finally {
        wrongProjection.stop(0);
      }
    }
  }

  /** A deposit of 5.00 at {@code version}, as if {@code commandId} had caused it. */
  private static AccountEvent deposit(
      String eventId, String account, long version, String commandId) {
    return AccountEvent.newBuilder()
        .setEventId(eventId)
        .setAggregateType("account")
        .setAggregateId(account)
        .setVersion(version)
        .setOccurredAt(Instant.now())
        .setCommandId(commandId)
        .setCorrelationId(commandId)
        .setPayload(new MoneyDeposited(new BigDecimal("5.00"), null, null))
        .build();
  }
}
