package io.streamfold.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

/** What the broker says about open transactions: for diagnosing a stuck restore or LSO. */
final class Transactions {
  private Transactions() {}

  static String describeOpen(String bootstrapServers) {
    StringBuilder out = new StringBuilder("Open transactions on " + bootstrapServers + ":\n");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (TransactionListing listing : admin.listTransactions().all().get()) {
        out.append("  txn ").append(listing).append('\n');
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (TopicDescription topic :
          admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
        topic
            .partitions()
            .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
      }
      DescribeProducersResult producers = admin.describeProducers(partitions);
      for (var entry : producers.all().get().entrySet()) {
        for (ProducerState state : entry.getValue().activeProducers()) {
          if (state.currentTransactionStartOffset().isPresent()) {
            out.append("  ")
                .append(entry.getKey())
                .append(" open since offset ")
                .append(state.currentTransactionStartOffset().getAsLong())
                .append(": ")
                .append(state)
                .append('\n');
          }
        }
      }
      var ids =
          admin.listTransactions().all().get().stream()
              .map(TransactionListing::transactionalId)
              .toList();
      admin
          .describeTransactions(ids)
          .all()
          .get()
          .forEach((id, d) -> out.append("  ").append(id).append(" = ").append(d).append('\n'));
    } catch (Exception e) {
      out.append("  (could not describe: ").append(e).append(")\n");
    }
    return out.toString();
  }
}
