package io.streamfold.projection.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live tail's ring: who may join it, what it hands out, and when a reader has fallen behind.
 */
class LiveTailTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private MockConsumer<byte[], byte[]> consumer;
  private LiveTail tail;

  @BeforeEach
  void start() {
    consumer = new MockConsumer<>("earliest");
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        "t",
        List.of(
            new PartitionInfo("t", 0, node, new Node[0], new Node[0]),
            new PartitionInfo("t", 1, node, new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
    tail =
        new LiveTail(
            consumer,
            Map.of("t", "c"),
            (collection, record) ->
                new Rendered.Event(
                    record.offset(),
                    "Type",
                    ("e" + record.partition() + "-" + record.offset())
                        .getBytes(StandardCharsets.UTF_8)),
            4);
  }

  @AfterEach
  void stop() {
    tail.close();
  }

  private void append(TopicPartition partition, long offset) {
    consumer.addRecord(
        new ConsumerRecord<>(
            partition.topic(), partition.partition(), offset, new byte[0], new byte[] {1}));
  }

  private static String json(LiveTail.Frame frame) {
    return new String(frame.json(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldHandOutEveryEventOnceInOrderAndWhereItStands() throws Exception {
    assertThat(tail.join(Map.of("c", new long[] {0, 0}))).isZero();
    append(P0, 0);
    append(P0, 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> tail.events() == 2);
    append(P1, 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> tail.events() == 3);

    LiveTail.Batch batch = tail.next(0, Duration.ofSeconds(1));
    assertThat(batch.frames()).map(LiveTailTest::json).containsExactly("e0-0", "e0-1", "e1-0");
    assertThat(batch.head().get("c")).containsExactly(2, 1);
    assertThat(tail.next(3, Duration.ofMillis(50)).frames()).as("nothing new: empty").isEmpty();
    assertThat(tail.join(Map.of("c", new long[] {5, 0}))).as("ahead of the tail").isEqualTo(-1);
    assertThat(tail.join(Map.of("other", new long[] {0, 0}))).as("another log").isEqualTo(-1);
  }

  @Test
  void shouldRefuseReadersTheRingHasMovedPast() throws Exception {
    for (long offset = 0; offset < 6; offset++) {
      append(P0, offset);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> tail.events() == 6);
    append(P1, 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> tail.events() == 7);

    // seven events through a ring of four: p0's offsets 0 to 2 are gone, p1's one is still there
    assertThat(tail.next(0, Duration.ZERO)).isSameAs(LiveTail.FELL_BEHIND);
    assertThat(tail.join(Map.of("c", new long[] {2, 0}))).as("p0 from 2: gone").isEqualTo(-1);
    long from = tail.join(Map.of("c", new long[] {3, 0}));
    assertThat(from).isEqualTo(3);
    assertThat(tail.next(from, Duration.ZERO).frames())
        .map(LiveTailTest::json)
        .containsExactly("e0-3", "e0-4", "e0-5", "e1-0");
  }
}
