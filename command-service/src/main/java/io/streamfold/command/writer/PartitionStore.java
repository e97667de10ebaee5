package io.streamfold.command.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TtlDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The local copy of one partition's version table and idempotency records, in RocksDB, so it may be
 * larger than memory: three column families, {@code versions} (aggregate id to the version row's
 * bytes, exactly as on the topic), {@code idempotency} (aggregate id and key to the record's bytes,
 * dropped by RocksDB one window after it was written here) and the default one holding the
 * checkpoint, the topic offsets up to which the store is complete.
 *
 * <p>The rows of a committed batch and the new checkpoint are written in one atomic {@link
 * WriteBatch}, so a restart restores only the tail of the topics after the checkpoint. Nothing
 * uncommitted is ever written here. The store is a copy of the topics, so it has no write-ahead log
 * (as Kafka Streams' stores have none): the column families are flushed together ({@code
 * atomic_flush}), so what a crash leaves is the state of an earlier flush with its own checkpoint,
 * and the restore reads the topics from there; a close flushes everything. Each batch's write was a
 * {@code write} system call for the log, a fifth of a writer thread's CPU at saturation.
 *
 * <p>Two shortcuts in front of RocksDB, each a quarter of the writer's decisions at saturation
 * ({@code bench/profiles/2026-12-05-store-reads/}): the version rows written last are kept as bytes
 * in memory ({@link #ROW_CACHE_BYTES} a partition, emptied when full), written through by {@link
 * #apply}; and an idempotency key is first asked of the filters ({@code keyMayExist}), since a key
 * is nearly always new and RocksDB's Java binding answers a {@code get} of an absent key by
 * throwing and catching a C++ exception.
 */
final class PartitionStore implements LocalStore {
  private static final byte[] VERSIONS_OFFSET = "versions.offset".getBytes(StandardCharsets.UTF_8);
  private static final byte[] IDEMPOTENCY_OFFSET =
      "idempotency.offset".getBytes(StandardCharsets.UTF_8);
  private static final byte[] MARK = "mark".getBytes(StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final TtlDB db;
  private final ColumnFamilyHandle checkpoints;
  private final ColumnFamilyHandle versions;
  private final ColumnFamilyHandle idempotency;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);

  /**
   * The memory kept for recent version rows, keys and values, per partition: 1,000 rows of 4 KiB,
   * or 20,000 of 200 bytes. Emptied at once when full; the rows in use come back as they are
   * written.
   */
  static final long ROW_CACHE_BYTES = 4L << 20;

  /**
   * The version rows written last, exactly as in RocksDB. Filled only by {@link #apply}, after its
   * write and under this store's monitor, never by a read: a reader on another thread (the command
   * service's GET) that read a row from RocksDB just before a write could otherwise keep the old
   * row here after it.
   */
  private final ConcurrentHashMap<String, byte[]> rows = new ConcurrentHashMap<>();

  private long rowBytes;

  private PartitionStore(
      DBOptions options,
      ColumnFamilyOptions familyOptions,
      TtlDB db,
      List<ColumnFamilyHandle> handles) {
    this.options = options;
    this.familyOptions = familyOptions;
    this.db = db;
    this.checkpoints = handles.get(0);
    this.versions = handles.get(1);
    this.idempotency = handles.get(2);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @param cache the block cache shared by every partition store of the instance
   * @param idempotencyTtlSeconds how long RocksDB keeps an idempotency record after writing it here
   */
  static PartitionStore open(Path dir, LRUCache cache, int idempotencyTtlSeconds) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DBOptions options =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            .setKeepLogFileNum(2)
            .setAtomicFlush(true);
    ColumnFamilyOptions family =
        new ColumnFamilyOptions()
            .setWriteBufferSize(8L * 1024 * 1024)
            .setMaxWriteBufferNumber(2)
            // a bloom filter over the memtable's keys too: the idempotency record looked up for
            // each command with a key is nearly always absent, and without it every such miss
            // searched the memtable's skip list (2% of the services' JVM at saturation,
            // bench/profiles/2026-12-04-c2-again)
            .setMemtablePrefixBloomSizeRatio(0.1)
            .setMemtableWholeKeyFiltering(true)
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(new BloomFilter(10, false))
                    .setCacheIndexAndFilterBlocks(true));
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family),
            new ColumnFamilyDescriptor("versions".getBytes(StandardCharsets.UTF_8), family),
            new ColumnFamilyDescriptor("idempotency".getBytes(StandardCharsets.UTF_8), family));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      TtlDB db =
          TtlDB.open(
              options,
              dir.toString(),
              descriptors,
              handles,
              List.of(0, 0, Math.max(1, idempotencyTtlSeconds)),
              false);
      return new PartitionStore(options, family, db, handles);
    } catch (RocksDBException e) {
      options.close();
      family.close();
      throw new StoreException("Could not open the partition store in " + dir, e);
    }
  }

  /** The version row of {@code aggregateId} as on the topic, or null. */
  @Override
  public byte[] version(String aggregateId) {
    byte[] row = rows.get(aggregateId);
    return row != null ? row : get(versions, key(aggregateId));
  }

  @Override
  public void forEachVersion(java.util.function.BiConsumer<String, byte[]> action) {
    try (org.rocksdb.RocksIterator rows = db.newIterator(versions)) {
      for (rows.seekToFirst(); rows.isValid(); rows.next()) {
        action.accept(new String(rows.key(), StandardCharsets.UTF_8), rows.value());
      }
    }
  }

  /** The idempotency record under {@code key} as on the topic, or null. */
  @Override
  public byte[] idempotency(String key) {
    byte[] bytes = key(key);
    return db.keyMayExist(idempotency, bytes, null) ? get(idempotency, bytes) : null;
  }

  /** Where restoring continues: the next offsets of the versions and idempotency partitions. */
  @Override
  public Checkpoint checkpoint() {
    return new Checkpoint(
        offset(VERSIONS_OFFSET), offset(IDEMPOTENCY_OFFSET), Mark.of(get(checkpoints, MARK)));
  }

  /**
   * Writes rows and records (null values delete) and the checkpoint they bring the store to, at
   * once.
   */
  @Override
  public synchronized void apply(
      Map<String, byte[]> versionRows, Map<String, byte[]> idempotencyRecords, Checkpoint to) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<String, byte[]> row : versionRows.entrySet()) {
        put(batch, versions, row.getKey(), row.getValue());
      }
      for (Map.Entry<String, byte[]> record : idempotencyRecords.entrySet()) {
        put(batch, idempotency, record.getKey(), record.getValue());
      }
      batch.put(checkpoints, VERSIONS_OFFSET, longBytes(to.versions()));
      batch.put(checkpoints, IDEMPOTENCY_OFFSET, longBytes(to.idempotency()));
      batch.put(checkpoints, MARK, to.mark().bytes());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      rows.clear(); // what RocksDB holds now is not known
      rowBytes = 0;
      throw new StoreException("Could not write the partition store", e);
    }
    for (Map.Entry<String, byte[]> row : versionRows.entrySet()) {
      if (row.getValue() == null) {
        byte[] gone = rows.remove(row.getKey());
        if (gone != null) {
          rowBytes -= size(row.getKey(), gone);
        }
      } else {
        keep(row.getKey(), row.getValue());
      }
    }
  }

  /** Holding the monitor: keeps {@code row}, emptying the rows kept first if they are too many. */
  private void keep(String aggregateId, byte[] row) {
    byte[] before = rows.put(aggregateId, row);
    rowBytes += size(aggregateId, row) - (before == null ? 0 : size(aggregateId, before));
    if (rowBytes > ROW_CACHE_BYTES) {
      rows.clear();
      rows.put(aggregateId, row);
      rowBytes = size(aggregateId, row);
    }
  }

  /** The memory the kept rows take, as counted against {@link #ROW_CACHE_BYTES}; for tests. */
  synchronized long keptRowBytes() {
    return rowBytes;
  }

  private static long size(String aggregateId, byte[] row) {
    return 2L * aggregateId.length() + row.length + 64; // chars, bytes, the entries' overhead
  }

  private static void put(WriteBatch batch, ColumnFamilyHandle family, String key, byte[] value)
      throws RocksDBException {
    if (value == null) {
      batch.delete(family, key(key));
    } else {
      batch.put(family, key(key), value);
    }
  }

  private byte[] get(ColumnFamilyHandle family, byte[] key) {
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw new StoreException("Could not read the partition store", e);
    }
  }

  private long offset(byte[] name) {
    byte[] value = get(checkpoints, name);
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, List.of(checkpoints, versions, idempotency));
    } catch (RocksDBException e) {
      // a copy of the topics: the next start restores from the last flushed checkpoint
      org.slf4j.LoggerFactory.getLogger(PartitionStore.class)
          .warn("Could not flush the partition store before closing it", e);
    }
    checkpoints.close();
    versions.close();
    idempotency.close();
    db.close();
    writeOptions.close();
    options.close();
    familyOptions.close();
  }

  /**
   * The next offset to restore from in each of the partition's two topics, and the {@link Mark}
   * from which the restore checks them against the events.
   */
  record Checkpoint(long versions, long idempotency, Mark mark) {}

  /** The local store failed: the batch aborts and the partition restores again. */
  static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
