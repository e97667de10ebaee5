package io.streamfold.service.kafka;

import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * A bound on the RocksDB memory of a set of stores: one block cache of {@code bytes} (index and
 * filter blocks in it at high priority, evicted last, when a store caches them there), which the
 * stores' memtables are charged to as well through a {@link WriteBufferManager} with half of it, so
 * the stores together stay within {@code bytes} whatever their number. A store opened with it must
 * not close it; its owner closes it after every store.
 */
public record RocksMemory(long bytes, LRUCache cache, WriteBufferManager writeBuffers)
    implements AutoCloseable {
  /** The share of the cache the memtables may take before RocksDB flushes the largest. */
  public static final double MEMTABLE_SHARE = 0.5;

  /** The share kept for index and filter blocks. */
  private static final double HIGH_PRIORITY_SHARE = 0.1;

  public static RocksMemory of(long bytes) {
    LRUCache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
    return new RocksMemory(
        bytes, cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
  }

  @Override
  public void close() {
    writeBuffers.close();
    cache.close();
  }
}
