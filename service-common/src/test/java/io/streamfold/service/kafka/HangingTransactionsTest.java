package io.streamfold.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {
  static final TopicPartition EVENTS = new TopicPartition("accounts.events", 4);

  static ProducerState open(int epoch) {
    return new ProducerState(1, epoch, 0, 0, OptionalInt.of(2), OptionalLong.of(186));
  }

  static TransactionDescription coordinator(
      int epoch, TransactionState state, Set<TopicPartition> partitions) {
    return new TransactionDescription(1, state, 1, epoch, 10_000, OptionalLong.empty(), partitions);
  }

  @Test
  void shouldSuspectAnOpenTransactionOfAnEpochTheCoordinatorLeftBehind() {
    // As found after a broker restart: epoch 124 open on the partition, the coordinator at 128.
    assertThat(
            HangingTransactions.coordinatorMovedOn(
                open(124), coordinator(128, TransactionState.COMPLETE_COMMIT, Set.of())))
        .isTrue();
  }

  @Test
  void shouldNeverSuspectATransactionOfTheCurrentEpochOrANewerOne() {
    assertThat(
            HangingTransactions.coordinatorMovedOn(
                open(128), coordinator(128, TransactionState.ONGOING, Set.of(EVENTS))))
        .as("live")
        .isFalse();
    assertThat(
            HangingTransactions.coordinatorMovedOn(
                open(128), coordinator(128, TransactionState.COMPLETE_COMMIT, Set.of())))
        .as("the coordinator snapshot is older than the producer state: maybe live")
        .isFalse();
    assertThat(
            HangingTransactions.coordinatorMovedOn(
                open(129), coordinator(128, TransactionState.COMPLETE_COMMIT, Set.of())))
        .isFalse();
  }

  @Test
  void shouldIgnoreProducersWithoutAnOpenTransactionOrOfAnotherApplication() {
    ProducerState idle = new ProducerState(1, 100, 0, 0, OptionalInt.of(2), OptionalLong.empty());
    assertThat(
            HangingTransactions.coordinatorMovedOn(
                idle, coordinator(128, TransactionState.COMPLETE_COMMIT, Set.of())))
        .isFalse();
    assertThat(HangingTransactions.coordinatorMovedOn(open(124), null)).isFalse();
  }
}
