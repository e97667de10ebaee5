package io.streamfold.command.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfold.bank.account.Account;
import io.streamfold.bank.account.AccountCommand;
import io.streamfold.bank.avro.AccountAggregate;
import io.streamfold.bank.avro.TransferAggregate;
import io.streamfold.bank.transfer.Transfer;
import io.streamfold.bank.transfer.TransferCommand;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.core.InboxCommand;
import io.streamfold.schemas.core.InboxRecord;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A process's deadline and messages on the real broker: the deadline is kept in the process's
 * state, so a writer that restores the partition on another (empty) state directory still fires it,
 * and a message sent to an aggregate nobody serves yet waits in its inbox and is answered once its
 * partition is served.
 */
class ProcessDeadlineIT {
  private final String prefix = "process-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final SchemaRegistry registry = HttpSchemaRegistry.cached(SharedStack.registry().url());
  private final Topics transferTopics = Topics.of(prefix, "transfers");
  private final Topics accountTopics = Topics.of(prefix, "accounts");

  private Properties client() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", SharedStack.broker().bootstrapServers());
    return properties;
  }

  private void topics(Topics topics) {
    new TopicProvisioner(client())
        .ensure(
            List.of(
                new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                new TopicSpec(topics.versions(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    topics.idempotency(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(topics.inbox(), 1, (short) 1, Map.of())));
  }

  private <C, S> CommandWriter<C, S> start(
      io.streamfold.command.aggregate.Aggregate<C, ?, S> aggregate, Topics topics, Path state) {
    return CommandWriter.start(
        aggregate,
        new CommandWriter.Settings(
            prefix + aggregate.collection(),
            "127.0.0.1:1",
            topics,
            1,
            client(),
            state,
            Duration.ofHours(1),
            100,
            1, // lanes
            100,
            16L * 1024 * 1024),
        registry,
        true,
        Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  @Test
  void shouldFireADeadlineAfterARestartAndAnswerAMessageOnceItsRecipientIsServed()
      throws Exception {
    topics(transferTopics);
    topics(accountTopics);
    TransferAggregate transfers = new TransferAggregate(registry, true, Duration.ofSeconds(6));
    CommandWriter<TransferCommand, Transfer> first =
        start(transfers, transferTopics, Dirs.temporary("process-it-"));
    await().atMost(Duration.ofSeconds(60)).until(first::isServing);
    Instant requested = Instant.now();
    assertThat(
            first
                .submit(
                    new CommandEnvelope<>(
                        "t1-request",
                        "t1",
                        ExpectedVersion.ANY,
                        "t1-request",
                        null,
                        requested,
                        null,
                        new TransferCommand.RequestTransfer(
                            "a", "b", new BigDecimal("5.00"), "EUR")))
                .get(30, TimeUnit.SECONDS)
                .getStatus())
        .isEqualTo(OutcomeStatus.ACCEPTED);
    first.close(); // before the deadline: no account writer has answered the check

    List<InboxRecord> sent = inbox(accountTopics.inbox());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getMessageId()).isEqualTo("t1.verify");
    assertThat(sent.get(0).getAggregateId()).isEqualTo("b");
    assertThat(((InboxCommand) sent.get(0).getBody()).getAction()).isEqualTo("transfer-check");

    CommandWriter<TransferCommand, Transfer> second =
        start(transfers, transferTopics, Dirs.temporary("process-it-"));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> second.isServing() && second.committed("t1") != null);
      assertThat(second.committed("t1").state().status()).isEqualTo(Transfer.Status.REQUESTED);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> second.committed("t1").state().status() == Transfer.Status.FAILED);
      Transfer failed = second.committed("t1").state();
      assertThat(failed.reasonCode()).isEqualTo("timed-out");
      assertThat(Instant.now()).isAfter(requested.plusSeconds(6));
      long version = second.committed("t1").version();

      // the account's writer starts: the check waiting in its inbox is decided (b does not
      // exist), answered, and the answer changes nothing of the transfer that ended
      AccountAggregate accounts = new AccountAggregate(registry, true);
      try (CommandWriter<AccountCommand, Account> accountWriter =
          start(accounts, accountTopics, Dirs.temporary("process-it-"))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> inbox(transferTopics.inbox()).size() == 1);
        InboxRecord reply = inbox(transferTopics.inbox()).get(0);
        assertThat(reply.getMessageId()).isEqualTo("t1.verify.reply");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> committedInboxPosition(transfers.collection()) == 1);
        assertThat(second.committed("t1").version()).isEqualTo(version);
        assertThat(accountWriter.committed("b")).isNull();
      }
    } finally {
      second.close();
    }
  }

  private List<InboxRecord> inbox(String topic) {
    CoreSerdes serdes = CoreSerdes.of(registry, true);
    List<InboxRecord> records = new ArrayList<>();
    Properties config = client();
    config.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(serdes.inbox().decode(record.value()));
        }
      }
    }
    return records;
  }

  /** The transfers' ownership group's committed position in their inbox. */
  private long committedInboxPosition(String collection) {
    Properties config = client();
    config.put("group.id", prefix + collection);
    config.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(transferTopics.inbox(), 0);
      var committed = consumer.committed(java.util.Set.of(partition)).get(partition);
      return committed == null ? 0 : committed.offset();
    }
  }
}
