package io.streamfold.bank.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.bank.transfer.TransferEvent.CreditAccountVerified;
import io.streamfold.bank.transfer.TransferEvent.RefundStarted;
import io.streamfold.bank.transfer.TransferEvent.TransferCompleted;
import io.streamfold.bank.transfer.TransferEvent.TransferDebited;
import io.streamfold.bank.transfer.TransferEvent.TransferRequested;
import io.streamfold.bank.transfer.TransferEvent.TransferTimedOut;
import io.streamfold.command.domain.DeciderFixture;
import io.streamfold.command.domain.Process;
import io.streamfold.command.domain.Process.Outgoing;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process as a pure function: given the transfer's events, what each step sends. */
class TransferProcessTest {
  private static final Instant DEADLINE = DeciderFixture.NOW.plusSeconds(30);
  private static final TransferRequested REQUESTED =
      new TransferRequested("a", "b", new BigDecimal("10.00"), "EUR", DEADLINE);
  private static final Map<String, String> TO_B =
      Map.of("transferId", "t1", "counterparty", "b", "amount", "10.00", "currency", "EUR");
  private static final Map<String, String> FROM_A =
      Map.of("transferId", "t1", "counterparty", "a", "amount", "10.00", "currency", "EUR");

  private final TransferDecider decider = new TransferDecider(Duration.ofSeconds(30));
  private final TransferProcess process = new TransferProcess();

  /** The state after {@code before} and {@code events}, and what {@code events} send. */
  private List<Outgoing> sent(List<TransferEvent> before, TransferEvent... events) {
    Transfer state = decider.initialState();
    for (TransferEvent event : before) {
      state = decider.evolve(state, event, DeciderFixture.NOW);
    }
    for (TransferEvent event : events) {
      state = decider.evolve(state, event, DeciderFixture.NOW);
    }
    return process.react("t1", state, List.of(events));
  }

  @Test
  void shouldSendOneMessagePerStepWithIdsDerivedFromTheTransfer() {
    assertThat(sent(List.of(), REQUESTED))
        .containsExactly(
            new Outgoing("accounts", "b", "t1.verify", "transfer-check", FROM_A, "verify"));
    assertThat(sent(List.of(REQUESTED), new CreditAccountVerified()))
        .containsExactly(
            new Outgoing("accounts", "a", "t1.debit", "transfer-debit", TO_B, "debit"));
    assertThat(sent(List.of(REQUESTED, new CreditAccountVerified()), new TransferDebited()))
        .containsExactly(
            new Outgoing("accounts", "b", "t1.credit", "transfer-credit", FROM_A, "credit"));
    assertThat(
            sent(
                List.of(REQUESTED, new CreditAccountVerified(), new TransferDebited()),
                new RefundStarted("account-closed", "closed")))
        .containsExactly(
            new Outgoing("accounts", "a", "t1.refund", "transfer-refund", TO_B, "refund"));
    assertThat(
            sent(
                List.of(REQUESTED, new CreditAccountVerified(), new TransferDebited()),
                new TransferCompleted()))
        .isEmpty();
  }

  @Test
  void shouldRefundRatherThanCreditADebitThatCameAfterTheDeadline() {
    assertThat(
            sent(
                List.of(REQUESTED, new CreditAccountVerified(), new TransferTimedOut()),
                new TransferDebited(),
                new RefundStarted("timed-out", "late")))
        .extracting(Outgoing::messageId)
        .containsExactly("t1.refund");
  }

  @Test
  void shouldSendTheStepInFlightAgainUnderItsIdWhenTheDeadlinePasses() {
    assertThat(sent(List.of(REQUESTED, new CreditAccountVerified()), new TransferTimedOut()))
        .containsExactly(
            new Outgoing("accounts", "a", "t1.debit", "transfer-debit", TO_B, "debit"));
    assertThat(
            sent(
                List.of(REQUESTED, new CreditAccountVerified(), new TransferDebited()),
                new TransferTimedOut()))
        .extracting(Outgoing::messageId)
        .containsExactly("t1.credit");
  }

  @Test
  void shouldAskForTheDeadlineOnlyWhileAStepIsOpenAndNotYetTimedOut() {
    Transfer requested = decider.evolve(decider.initialState(), REQUESTED, DeciderFixture.NOW);
    assertThat(process.deadline(requested)).isEqualTo(DEADLINE);
    assertThat(process.deadline(decider.evolve(requested, new TransferTimedOut(), DEADLINE)))
        .isNull();
    assertThat(process.deadline(decider.evolve(requested, new TransferCompleted(), DEADLINE)))
        .isNull();
    assertThat(process.deadline(decider.initialState())).isNull();
    assertThat(process.onDeadline(DEADLINE)).isEqualTo(new TransferCommand.Expire(DEADLINE));
  }

  @Test
  void shouldTurnAnAccountsAnswerIntoTheNextCommand() {
    assertThat(process.onReply("debit", new Process.Reply(false, 3, "insufficient-funds", "low")))
        .isEqualTo(new TransferCommand.RecordReply("debit", false, "insufficient-funds", "low"));
  }
}
