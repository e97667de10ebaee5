package io.streamfold.bank.transfer;

import static io.streamfold.command.domain.Rejection.Kind.ALREADY_EXISTS;
import static io.streamfold.command.domain.Rejection.Kind.BUSINESS_RULE;
import static io.streamfold.command.domain.Rejection.Kind.INVALID_COMMAND;
import static io.streamfold.command.domain.Rejection.Kind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.bank.transfer.TransferCommand.Expire;
import io.streamfold.bank.transfer.TransferCommand.RecordReply;
import io.streamfold.bank.transfer.TransferCommand.RequestTransfer;
import io.streamfold.bank.transfer.TransferEvent.CreditAccountVerified;
import io.streamfold.bank.transfer.TransferEvent.RefundStarted;
import io.streamfold.bank.transfer.TransferEvent.TransferCompleted;
import io.streamfold.bank.transfer.TransferEvent.TransferDebited;
import io.streamfold.bank.transfer.TransferEvent.TransferFailed;
import io.streamfold.bank.transfer.TransferEvent.TransferRefunded;
import io.streamfold.bank.transfer.TransferEvent.TransferRequested;
import io.streamfold.bank.transfer.TransferEvent.TransferTimedOut;
import io.streamfold.command.domain.DeciderFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransferDeciderTest {
  private static final Instant DEADLINE = DeciderFixture.NOW.plusSeconds(30);
  private static final TransferRequested REQUESTED =
      new TransferRequested("a", "b", new BigDecimal("10.00"), "EUR", DEADLINE);

  private final DeciderFixture<TransferCommand, TransferEvent, Transfer> transfer =
      DeciderFixture.of(new TransferDecider(Duration.ofSeconds(30)));

  private static RecordReply ok(String step) {
    return new RecordReply(step, true, null, null);
  }

  private static RecordReply refused(String step, String code) {
    return new RecordReply(step, false, code, "refused: " + code);
  }

  @Test
  void shouldRecordARequestWithItsDeadline() {
    Transfer state =
        transfer
            .when(new RequestTransfer("a", "b", new BigDecimal("10"), "EUR"))
            .thenEvents(REQUESTED);

    assertThat(state.status()).isEqualTo(Transfer.Status.REQUESTED);
    assertThat(state.deadline()).isEqualTo(DEADLINE);
  }

  @Test
  void shouldRefuseTheSameAccountTwiceAnOverPreciseAmountAndARepeatedRequest() {
    transfer
        .when(new RequestTransfer("a", "a", BigDecimal.ONE, "EUR"))
        .thenRejected(BUSINESS_RULE, "same-account");
    transfer
        .when(new RequestTransfer("a", "b", new BigDecimal("1.001"), "EUR"))
        .thenRejected(INVALID_COMMAND, "invalid-amount");
    transfer
        .when(new RequestTransfer("a", "b", new BigDecimal("1"), "JPY"))
        .thenEvents(new TransferRequested("a", "b", new BigDecimal("1.00"), "JPY", DEADLINE));
    transfer
        .given(REQUESTED)
        .when(new RequestTransfer("a", "b", BigDecimal.ONE, "EUR"))
        .thenRejected(ALREADY_EXISTS, "already-exists");
  }

  @Test
  void shouldCompleteWhenEveryStepIsAccepted() {
    transfer.given(REQUESTED).when(ok("verify")).thenEvents(new CreditAccountVerified());
    transfer.given(new CreditAccountVerified()).when(ok("debit")).thenEvents(new TransferDebited());
    Transfer done =
        transfer
            .given(new TransferDebited())
            .when(ok("credit"))
            .thenEvents(new TransferCompleted());

    assertThat(done.status()).isEqualTo(Transfer.Status.COMPLETED);
    assertThat(done.status().terminal()).isTrue();
  }

  @Test
  void shouldFailWithNothingMovedWhenTheCheckOrTheDebitIsRefused() {
    Transfer unknown =
        transfer
            .given(REQUESTED)
            .when(refused("verify", "not-found"))
            .thenEvents(
                new TransferFailed(
                    "not-found", "The account b cannot be credited: refused: not-found"));
    assertThat(unknown.status()).isEqualTo(Transfer.Status.FAILED);
    assertThat(unknown.reasonCode()).isEqualTo("not-found");

    DeciderFixture<TransferCommand, TransferEvent, Transfer> poor =
        DeciderFixture.of(new TransferDecider(Duration.ofSeconds(30)));
    poor.given(REQUESTED, new CreditAccountVerified())
        .when(refused("debit", "insufficient-funds"))
        .thenEvents(
            new TransferFailed(
                "insufficient-funds",
                "The account a cannot be debited: refused: insufficient-funds"));
  }

  @Test
  void shouldRefundWhenTheCreditIsRefused() {
    transfer
        .given(REQUESTED, new CreditAccountVerified(), new TransferDebited())
        .when(refused("credit", "account-closed"))
        .thenEvents(
            new RefundStarted(
                "account-closed", "The account b refused the credit: refused: account-closed"));
    Transfer refunded =
        transfer
            .given(new RefundStarted("account-closed", "closed"))
            .when(ok("refund"))
            .thenEvents(new TransferRefunded());

    assertThat(refunded.status()).isEqualTo(Transfer.Status.REFUNDED);
    assertThat(refunded.reasonCode()).isEqualTo("account-closed");
  }

  @Test
  void shouldIgnoreARepeatedOrLateReply() {
    transfer
        .given(REQUESTED, new CreditAccountVerified(), new TransferDebited())
        .when(ok("debit"))
        .thenEvents();
    transfer.when(ok("verify")).thenEvents();
    transfer.given(new TransferCompleted()).when(refused("credit", "x")).thenEvents();
  }

  @Test
  void shouldEndARequestWhoseCheckDidNotAnswerByTheDeadline() {
    transfer
        .given(REQUESTED)
        .when(new Expire(DEADLINE))
        .thenEvents(
            new TransferFailed(
                "timed-out",
                "The account b did not answer before the deadline; nothing was moved"));
  }

  @Test
  void shouldRefundADebitThatAnswersAfterTheDeadline() {
    Transfer late =
        transfer
            .given(REQUESTED, new CreditAccountVerified())
            .when(new Expire(DEADLINE))
            .thenEvents(new TransferTimedOut());
    assertThat(late.timedOut()).isTrue();
    assertThat(late.status()).isEqualTo(Transfer.Status.DEBITING);

    transfer
        .given(new TransferTimedOut())
        .when(ok("debit"))
        .thenEvents(
            new TransferDebited(),
            new RefundStarted("timed-out", "The transfer did not complete before its deadline"));
  }

  @Test
  void shouldLetACreditInFlightDecideAfterTheDeadline() {
    transfer
        .given(
            REQUESTED, new CreditAccountVerified(), new TransferDebited(), new TransferTimedOut())
        .when(ok("credit"))
        .thenEvents(new TransferCompleted());
  }

  @Test
  void shouldIgnoreAStaleOrRepeatedDeadline() {
    transfer.given(REQUESTED).when(new Expire(DEADLINE.minusSeconds(1))).thenEvents();
    transfer
        .given(new CreditAccountVerified(), new TransferTimedOut())
        .when(new Expire(DEADLINE))
        .thenEvents();
    DeciderFixture.of(new TransferDecider(Duration.ofSeconds(30)))
        .when(new Expire(DEADLINE))
        .thenRejected(NOT_FOUND, "not-found");
  }
}
