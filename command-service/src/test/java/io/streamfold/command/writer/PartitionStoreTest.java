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
