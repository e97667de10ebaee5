import java.nio.file.*; import java.util.*; import org.rocksdb.*;
public class GetBench {
  public static void main(String[] a) throws Exception {
    RocksDB.loadLibrary(); Path dir = Files.createTempDirectory("gb");
    Options o = new Options().setCreateIfMissing(true).setWriteBufferSize(8<<20).setMemtablePrefixBloomSizeRatio(0.1).setMemtableWholeKeyFiltering(true)
      .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10,false)).setCacheIndexAndFilterBlocks(true));
    TtlDB db = TtlDB.open(o, dir.toString(), 86400, false);
    WriteOptions wo = new WriteOptions().setDisableWAL(true);
    byte[] v = new byte[220];
    for (int i=0;i<300000;i++) db.put(wo, ("acc-"+(i%1000)+"/"+UUID.randomUUID()).getBytes(), v);
    byte[][] keys = new byte[100000][]; for (int i=0;i<keys.length;i++) keys[i]=("acc-"+(i%1000)+"/"+UUID.randomUUID()).getBytes();
    byte[] buf = new byte[512];
    for (int rep=0;rep<4;rep++) {
      long t=System.nanoTime(); int f=0; for (byte[] k:keys) if (db.get(k)!=null) f++;
      long t2=System.nanoTime(); for (byte[] k:keys) if (db.keyMayExist(k, null) && db.get(k)!=null) f++;
      long t3=System.nanoTime(); for (byte[] k:keys) if (db.get(k, buf)!=RocksDB.NOT_FOUND) f++;
      long t4=System.nanoTime();
      System.out.printf("get %.2f us, mayExist+get %.2f us, get(buf) %.2f us (%d)%n",(t2-t)/1e3/keys.length,(t3-t2)/1e3/keys.length,(t4-t3)/1e3/keys.length,f);
    }
  }
}
