package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.topology.StoreHandles;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.internals.DefaultStreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class LocalStoresTest {
  @Test
  void shouldPlaceAKeyOnThePartitionKafkaStreamsPlacesIt() {
    LocalStores stores =
        new LocalStores(null, new HostInfo("h", 1), "accounts.events", 6, new StoreHandles());
    DefaultStreamPartitioner<String, Object> streams =
        new DefaultStreamPartitioner<>(Serdes.String().serializer());

    for (String key : new String[] {"a", "alice-1", "bench-417", "r-9999", "ü-ñ", "x".repeat(64)}) {
      assertThat(stores.partitionOf(key))
          .as(key)
          .isEqualTo(
              streams.partitions("accounts.events", key, null, 6).orElseThrow().iterator().next());
    }
  }
}
