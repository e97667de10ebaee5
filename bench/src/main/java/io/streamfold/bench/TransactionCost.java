package io.streamfold.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What one transaction costs a running broker, by the number of partitions it writes: {@code N}
 * back-to-back transactions of one 200-byte record per partition, each partition in a topic of its
 * own (as a command batch writes the events, the version table and the idempotency records), with
 * the latency of each and the broker's CPU time per transaction read from {@code /proc}. The second
 * of two passes is printed (the first warms up).
 *
 * <pre>java -cp bench/target/classes:$(cat bench/target/bench.classpath) \
 *     io.streamfold.bench.TransactionCost 127.0.0.1:9092 &lt;broker pid&gt; 2000 1 2 3</pre>
 */
public final class TransactionCost {
  private TransactionCost() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long brokerPid = Long.parseLong(args[1]);
    int transactions = Integer.parseInt(args[2]);
    for (int i = 3; i < args.length; i++) {
      System.out.println(measure(bootstrap, brokerPid, transactions, Integer.parseInt(args[i])));
    }
  }

  private static String measure(String bootstrap, long brokerPid, int transactions, int partitions)
      throws Exception {
    List<String> topics = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> created = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        String topic = "transaction-cost-" + System.nanoTime() + "-" + i;
        topics.add(topic);
        created.add(new NewTopic(topic, 1, (short) 1));
      }
      admin.createTopics(created).all().get();
      io.streamfold.service.kafka.TopicProvisioner.awaitLeaders(admin, topics);
    }
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("transactional.id", "transaction-cost-" + System.nanoTime());
    config.put("linger.ms", 1_000); // as the writers: the records leave with the commit's flush
    config.put("retry.backoff.ms", 2);
    String result = "";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      long[] nanos = new long[transactions];
      for (int pass = 0; pass < 2; pass++) {
        long cpuBefore = ProcessCpu.ticksOf(brokerPid);
        long started = System.nanoTime();
        for (int i = 0; i < transactions; i++) {
          long start = System.nanoTime();
          producer.beginTransaction();
          for (String topic : topics) {
            producer.send(
                new ProducerRecord<>(
                    topic, 0, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[200]));
          }
          producer.commitTransaction();
          nanos[i] = System.nanoTime() - start;
        }
        double wallMs = (System.nanoTime() - started) / 1e6;
        double cpuMs = (ProcessCpu.ticksOf(brokerPid) - cpuBefore) * 10.0; // 100 ticks per second
        Arrays.sort(nanos);
        result =
            String.format(
                "partitions per transaction %d: p50 %.2f ms, p99 %.2f ms, %.2f ms of wall time"
                    + " and %.2f ms of broker CPU per transaction",
                partitions,
                nanos[transactions / 2] / 1e6,
                nanos[transactions * 99 / 100] / 1e6,
                wallMs / transactions,
                cpuMs / transactions);
      }
    }
    return result;
  }
}
