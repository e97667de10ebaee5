package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.SharedStack;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The checker itself: clean on an honest log, and it catches each kind of wrong it claims to — a
 * lost acknowledged command, an event written twice, an event of a refused command, an event nobody
 * issued.
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
    }
  }
}
