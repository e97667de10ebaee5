package io.streamfold.projection;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the RocksDB memory of the projections' stores ({@code STORE_MEMORY_MB}): every store of
 * the JVM reads through one block cache, their index and filter blocks are kept in it (at high
 * priority, the top level pinned) rather than beside it, and their memtables are charged to it too
 * (a {@link WriteBufferManager} with half of it), so the stores together stay within the setting
 * whatever the number of partitions, stores and stream threads.
 *
 * <p>Why: by default Kafka Streams gives each store its own 50 MB block cache and up to three 16 MB
 * memtables, with index and filter blocks outside any cache; an instance's off-heap memory then
 * grows with its tasks (six partitions of the bank's views are about 50 stores; 48 would be eight
 * times that), which is how Kafka Streams deployments run out of memory without a heap dump to say
 * why. This is the bounded configuration Kafka Streams' memory guide describes.
 *
 * <p>The cache and the write buffer manager live as long as the JVM: they are shared, so a store's
 * {@link #close} must not close them. The first size configured in the JVM is the one used.
 */
public final class StoreMemory implements RocksDBConfigSetter {
  /** The bytes of the shared cache, memtables included: a Kafka Streams setting read here. */
  public static final String BYTES_CONFIG = "streamfold.store.memory.bytes";

  /** The share of the cache the memtables may take before RocksDB flushes the largest. */
  static final double MEMTABLE_SHARE = 0.5;

  /** The share kept for index and filter blocks, evicted last. */
  private static final double HIGH_PRIORITY_SHARE = 0.1;

  private static final Logger LOG = LoggerFactory.getLogger(StoreMemory.class);

  private static Shared shared; // guarded by StoreMemory.class

  /** The cache and the write buffer manager every store of the JVM uses. */
  private record Shared(long bytes, LRUCache cache, WriteBufferManager writeBuffers) {}

  private static synchronized Shared shared(long bytes) {
    if (shared == null) {
      LRUCache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
      shared =
          new Shared(bytes, cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
    } else if (shared.bytes() != bytes) {
      LOG.warn(
          "The projection stores of this JVM already share {} bytes; {} asked for later is ignored",
          shared.bytes(),
          bytes);
    }
    return shared;
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object configured = configs.get(BYTES_CONFIG);
    if (configured == null) {
      return; // not set: Kafka Streams' defaults
    }
    Shared memory =
        shared(
            configured instanceof Number number
                ? number.longValue()
                : Long.parseLong(configured.toString()));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(memory.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(memory.writeBuffers());
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and the write buffer manager are shared by every store: they stay
  }
}
