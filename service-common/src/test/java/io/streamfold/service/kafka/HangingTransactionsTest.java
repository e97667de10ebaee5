package io.streamfold.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {
  static final TopicPartition EVENTS = new TopicPartition("accounts.events", 4);
  static final TopicPartition VERSIONS = new TopicPartition("accounts.versions", 4);
  static final long NOW = 1_000_000_000L;
  static final Duration TIMEOUT = HangingTransactions.MAX_TRANSACTION_TIMEOUT;

  static ProducerState open(int epoch, long lastWriteMs) {
    return new ProducerState(1, epoch, 0, lastWriteMs, OptionalInt.of(2), OptionalLong.of(186));
  }

  static HangingTransactions.OpenTransaction openOn(TopicPartition partition, int epoch) {
    return new HangingTransactions.OpenTransaction(partition, open(epoch, 0));
  }

  static TransactionDescription coordinator(
      int epoch, TransactionState state, Set<TopicPartition> partitions) {
    return new TransactionDescription(1, state, 1, epoch, 10_000, OptionalLong.empty(), partitions);
  }

  @Test
  void shouldLookOnlyAtTransactionsOpenLongerThanTheMaximumTimeout() {
    ProducerState old = open(124, NOW - TIMEOUT.toMillis() - 1);
    ProducerState recent = open(125, NOW - TIMEOUT.toMillis() + 1_000);
    ProducerState idle = new ProducerState(1, 100, 0, 0, OptionalInt.of(2), OptionalLong.empty());
    var found =
        HangingTransactions.openLongerThan(
            Map.of(
                EVENTS, new PartitionProducerState(List.of(old, idle)),
                VERSIONS, new PartitionProducerState(List.of(recent))),
            NOW,
            TIMEOUT);
    assertThat(found).containsExactly(new HangingTransactions.OpenTransaction(EVENTS, old));
  }

  @Test
  void shouldNeverAbortAPartitionWhoseMarkerTheCoordinatorStillOwes() {
    // A commit acknowledged to the producer whose markers are late: the coordinator is preparing
    // the commit and lists the partitions still waiting, at a newer epoch (transactions v2 bump
    // the epoch at every commit). The epoch rule this replaces would have aborted it.
    assertThat(
            HangingTransactions.isHanging(
                openOn(EVENTS, 124),
                "app-accounts-4",
                coordinator(125, TransactionState.PREPARE_COMMIT, Set.of(EVENTS, VERSIONS))))
        .isFalse();
    assertThat(
            HangingTransactions.isHanging(
                openOn(EVENTS, 128),
                "app-accounts-4",
                coordinator(128, TransactionState.ONGOING, Set.of(EVENTS))))
        .as("live")
        .isFalse();
  }

  @Test
  void shouldCallHangingWhatTheCoordinatorNoLongerListsOrKnows() {
    assertThat(
            HangingTransactions.isHanging(
                openOn(EVENTS, 124),
                "app-accounts-4",
                coordinator(128, TransactionState.COMPLETE_COMMIT, Set.of())))
        .as("the coordinator finished it and moved on")
        .isTrue();
    assertThat(
            HangingTransactions.isHanging(
                openOn(EVENTS, 124),
                "app-accounts-4",
                coordinator(128, TransactionState.ONGOING, Set.of(VERSIONS))))
        .as("a later transaction of the same id, on another partition")
        .isTrue();
    assertThat(HangingTransactions.isHanging(openOn(EVENTS, 124), "app-accounts-4", null))
        .as("the coordinator does not know the transactional id")
        .isTrue();
    assertThat(HangingTransactions.isHanging(openOn(EVENTS, 124), null, null))
        .as("no transactional id for the producer id")
        .isTrue();
  }
}
