package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.internals.DefaultStreamPartitioner;
import org.junit.jupiter.api.Test;

class LocalStoresTest {
  @Test
  void shouldPlaceAKeyOnThePartitionKafkaStreamsPlacesIt() {
    DefaultStreamPartitioner<String, Object> streams =
        new DefaultStreamPartitioner<>(Serdes.String().serializer());

    for (String key : new String[] {"a", "alice-1", "bench-417", "r-9999", "ü-ñ", "x".repeat(64)}) {
      assertThat(LocalStores.partitionOf(key, 6))
          .as(key)
          .isEqualTo(
              streams.partitions("accounts.events", key, null, 6).orElseThrow().iterator().next());
    }
  }
}
