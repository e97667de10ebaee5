package io.streamfold.command.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

/**
 * The local store has no write-ahead log: what survives a crash must still be a checkpoint with
 * exactly the rows written up to it, and a close must keep everything.
 */
class PartitionStoreTest {
  private static final int ROWS_PER_BATCH = 200;

  static {
    RocksDB.loadLibrary();
  }

  @TempDir Path dir;

  @Test
  void shouldKeepRowsAndCheckpointAcrossACloseAndReopen() {
    try (LRUCache cache = new LRUCache(8L << 20)) {
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) {
        for (long batch = 1; batch <= 3; batch++) {
          write(store, batch);
        }
      }
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) {
        assertThat(store.checkpoint()).isEqualTo(checkpoint(3));
        assertThat(counter(store)).isEqualTo(3);
        assertThat(store.idempotency("agg-0/key-3")).isNotNull();
      }
    }
  }

  /**
   * Rows are kept in memory in front of RocksDB: a read after a write, a delete, or a cache emptied
   * because it was full, always answers what was written last, and the memory stays bounded.
   */
  @Test
  void shouldAnswerTheLastWrittenRowWhateverTheMemoryKept() {
    try (LRUCache cache = new LRUCache(8L << 20);
        PartitionStore store = PartitionStore.open(dir, cache, 60)) {
      byte[] big = new byte[64 * 1024];
      long rows = 3 * PartitionStore.ROW_CACHE_BYTES / big.length;
      int emptied = 0;
      for (long n = 1; n <= rows; n++) {
        Map<String, byte[]> batch = new HashMap<>();
        big[0] = (byte) n;
        batch.put("big-" + n, big.clone());
        batch.put("counter", ByteBuffer.allocate(Long.BYTES).putLong(n).array());
        if (n % 7 == 0) {
          batch.put("big-" + (n - 5), null); // deleted
        }
        long before = store.keptRowBytes();
        store.apply(batch, Map.of(), checkpoint(n));
        emptied += store.keptRowBytes() < before ? 1 : 0;
        assertThat(store.keptRowBytes()).isLessThanOrEqualTo(PartitionStore.ROW_CACHE_BYTES);
        assertThat(counter(store)).isEqualTo(n);
        for (long earlier = 1; earlier <= n; earlier++) {
          byte[] row = store.version("big-" + earlier);
          if ((earlier + 5) % 7 == 0 && earlier + 5 <= n) {
            assertThat(row).as("big-%d, deleted", earlier).isNull();
          } else {
            assertThat(row[0]).as("big-%d", earlier).isEqualTo((byte) earlier);
          }
        }
      }
      assertThat(emptied).as("times the kept rows were emptied").isPositive();
      assertThat(store.version("never-written")).isNull();
    }
  }

  /**
   * Only a write keeps a row in memory, never a read: a reader on another thread (the command
   * service's GET) that read a row just before a write could otherwise keep the old row after it.
   */
  @Test
  void shouldKeepRowsOnlyWhenWritingThem() {
    try (LRUCache cache = new LRUCache(8L << 20)) {
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) {
        write(store, 1);
        assertThat(store.keptRowBytes()).isPositive();
      }
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) {
        assertThat(counter(store)).isEqualTo(1);
        assertThat(store.version("row-0")).isNotNull();
        assertThat(store.keptRowBytes()).isZero();
      }
    }
  }

  /** An idempotency key is found in the memtable and after a flush, and an absent one is not. */
  @Test
  void shouldFindRememberedOutcomesOnlyWhereWritten() {
    try (LRUCache cache = new LRUCache(8L << 20)) {
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) {
        write(store, 1);
        assertThat(store.idempotency("agg-0/key-1")).isNotNull();
        assertThat(store.idempotency("agg-0/key-2")).isNull();
      }
      try (PartitionStore store = PartitionStore.open(dir, cache, 60)) { // flushed to a table
        assertThat(store.idempotency("agg-0/key-1")).isNotNull();
        assertThat(store.idempotency("agg-0/key-2")).isNull();
        assertThat(store.idempotency("agg-1/key-1")).isNull();
      }
    }
  }

  /**
   * A process writes batches, enough to fill its memtables several times, and halts without closing
   * (as a SIGKILL would): the store it leaves holds the rows of some batch N and the checkpoint of
   * that same N, never rows ahead of or behind their checkpoint.
   */
  @Test
  void shouldLeaveRowsThatMatchTheirCheckpointWhenTheProcessDies() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Crashing.class.getName(),
                dir.toString())
            .inheritIO()
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(Crashing.HALTED);
    try (LRUCache cache = new LRUCache(8L << 20);
        PartitionStore store = PartitionStore.open(dir, cache, 60)) {
      long batches = store.checkpoint().versions();
      assertThat(batches).as("batches flushed before the halt").isPositive();
      assertThat(store.checkpoint()).isEqualTo(checkpoint(batches));
      assertThat(counter(store)).isEqualTo(batches);
      assertThat(store.version("row-" + (batches * ROWS_PER_BATCH - 1))).isNotNull();
      assertThat(store.version("row-" + (batches * ROWS_PER_BATCH))).isNull();
    }
  }

  /** Writes batch {@code n}: new rows, the counter row and a record, at checkpoint {@code n}. */
  static void write(PartitionStore store, long n) {
    Map<String, byte[]> rows = new HashMap<>();
    byte[] filler = new byte[200];
    for (long i = (n - 1) * ROWS_PER_BATCH; i < n * ROWS_PER_BATCH; i++) {
      rows.put("row-" + i, filler);
    }
    rows.put("counter", ByteBuffer.allocate(Long.BYTES).putLong(n).array());
    store.apply(
        rows, Map.of("agg-0/key-" + n, "outcome".getBytes(StandardCharsets.UTF_8)), checkpoint(n));
  }

  private static PartitionStore.Checkpoint checkpoint(long n) {
    return new PartitionStore.Checkpoint(n, n, new Mark(10 * n, n, n));
  }

  private static long counter(PartitionStore store) {
    byte[] value = store.version("counter");
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  /** The child process: writes about 60 MiB of batches and halts without closing the store. */
  static final class Crashing {
    static final int HALTED = 42;

    public static void main(String[] args) {
      RocksDB.loadLibrary();
      LRUCache cache = new LRUCache(8L << 20);
      PartitionStore store = PartitionStore.open(Path.of(args[0]), cache, 60);
      for (long batch = 1; batch <= 1_500; batch++) {
        write(store, batch);
      }
      Runtime.getRuntime().halt(HALTED);
    }
  }
}
