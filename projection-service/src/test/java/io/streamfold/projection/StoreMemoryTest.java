package io.streamfold.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

class StoreMemoryTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
          "SCHEMA_REGISTRY_URL", "http://r:8080/apis/ccompat/v7",
          "KEY_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=");

  @Test
  void shouldBoundEveryStoreOfTheInstanceByOneCacheThatTheirMemtablesAreChargedTo(@TempDir Path dir)
      throws Exception {
    // the settings the service gives Kafka Streams, as Kafka Streams hands them to the setter
    Properties settings =
        ProjectionSettings.of(ProjectionServiceConfig.fromEnv(MINIMAL), new ProjectionCounters());
    assertThat(settings.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(StoreMemory.class);
    long bytes = (long) settings.get(StoreMemory.BYTES_CONFIG);
    assertThat(bytes).isEqualTo(256L << 20); // STORE_MEMORY_MB's default
    Map<String, Object> configs = Map.of(StoreMemory.BYTES_CONFIG, bytes);

    try (Options first = options(configs, "first");
        Options second = options(configs, "second");
        RocksDB a = RocksDB.open(first, dir.resolve("a").toString());
        RocksDB b = RocksDB.open(second, dir.resolve("b").toString());
        WriteOptions noLog = new WriteOptions().setDisableWAL(true)) {
      assertThat(a.getProperty("rocksdb.block-cache-capacity")).isEqualTo(Long.toString(bytes));
      long before = Long.parseLong(b.getProperty("rocksdb.block-cache-usage"));

      byte[] value = new byte[1024];
      Arrays.fill(value, (byte) 7);
      for (int i = 0; i < 8 * 1024; i++) { // 8 MiB into a's memtable, nothing read, nothing flushed
        a.put(noLog, ("key-" + i).getBytes(), value);
      }

      // b sees a's memtable in the cache they share: the memtables count against the bound
      long after = Long.parseLong(b.getProperty("rocksdb.block-cache-usage"));
      assertThat(after - before).isGreaterThanOrEqualTo(4L << 20);
      assertThat(b.getProperty("rocksdb.block-cache-capacity")).isEqualTo(Long.toString(bytes));
    }
  }

  @Test
  void shouldLeaveAStoreAloneWhenNoBoundIsConfigured(@TempDir Path dir) throws Exception {
    try (Options options = options(Map.of(), "unbounded");
        RocksDB db = RocksDB.open(options, dir.toString())) {
      assertThat(db.getProperty("rocksdb.block-cache-capacity"))
          .isNotEqualTo(Long.toString(256L << 20));
      assertThat(options.writeBufferManager()).isNull();
    }
  }

  private static Options options(Map<String, Object> configs, String store) {
    Options options =
        new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
    new StoreMemory().setConfig(store, options, configs);
    return options;
  }
}
