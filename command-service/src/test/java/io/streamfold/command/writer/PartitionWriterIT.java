package io.streamfold.command.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.avro.AccountAggregate;
import io.streamfold.command.domain.account.Account;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.it.EventLog;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The writer against the real broker, with faults injected into its local store: a failure in the
 * middle of a batch commits nothing of the batch, answers every command of it "not applied", and
 * the partition serves again after fencing and restoring.
 */
class PartitionWriterIT {
  private final String prefix = "writer-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final Topics topics = Topics.of(prefix, "accounts");
  private final SchemaRegistry registry = HttpSchemaRegistry.cached(SharedStack.registry().url());
  private final AccountAggregate accounts = new AccountAggregate(registry, true);

  private Properties client() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", SharedStack.broker().bootstrapServers());
    return properties;
  }

  private CommandWriter<AccountCommand, Account> start(
      java.util.function.UnaryOperator<LocalStore> stores) {
    new TopicProvisioner(client())
        .ensure(
            List.of(
                new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                new TopicSpec(topics.versions(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    topics.idempotency(), 1, (short) 1, Map.of("cleanup.policy", "compact"))));
    return CommandWriter.start(
        accounts,
        new CommandWriter.Settings(
            prefix + "app",
            "127.0.0.1:1",
            topics,
            1,
            client(),
            Dirs.temporary("writer-it-"),
            Duration.ofHours(1),
            100,
            100,
            16L * 1024 * 1024),
        registry,
        true,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        stores);
  }

  private static CommandEnvelope<AccountCommand> open(String id) {
    return command(id, new AccountCommand.OpenAccount("Ada", "EUR", new BigDecimal("10.00")));
  }

  private static CommandEnvelope<AccountCommand> command(String id, AccountCommand command) {
    return new CommandEnvelope<>(
        UUID.randomUUID().toString(),
        id,
        ExpectedVersion.ANY,
        "corr",
        null,
        Instant.now(),
        null,
        command);
  }

  @Test
  void shouldCommitNothingOfABatchWhoseStoreFailsMidway() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    try (CommandWriter<AccountCommand, Account> writer =
        start(store -> new FaultyStore(store, entered, queued))) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);

      // "gate" holds the writer inside its first batch until the next four commands are queued,
      // so they make one batch; "boom" fails in the store in the middle of it
      CompletableFuture<CommandOutcome> gate = writer.submit(open("gate"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<CommandOutcome>> batch =
          List.of(
              writer.submit(open("a")),
              writer.submit(open("b")),
              writer.submit(open("boom")),
              writer.submit(open("c")));
      queued.countDown();

      assertThat(gate.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      for (CompletableFuture<CommandOutcome> outcome : batch) {
        assertThat(failure(outcome)).isEqualTo(WriteFailure.Kind.NOT_APPLIED);
      }
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      assertThat(writer.submit(open("a")).get(30, TimeUnit.SECONDS).getVersion()).isEqualTo(1);
      assertThat(writer.committed("b")).isNull();
      assertThat(writer.committed("a").version()).isEqualTo(1);
    }
    assertThat(
            EventLog.readRaw(SharedStack.broker().bootstrapServers(), topics.events()).stream()
                .map(record -> new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
                .toList())
        .as("only what was committed: gate's batch and a's retry")
        .containsExactly("gate", "a");
  }

  private static WriteFailure.Kind failure(CompletableFuture<CommandOutcome> outcome)
      throws InterruptedException {
    try {
      outcome.get(30, TimeUnit.SECONDS);
      throw new AssertionError("Expected a failure, got an outcome");
    } catch (ExecutionException e) {
      return ((WriteFailure) e.getCause()).kind();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("No answer", e);
    }
  }

  /** Holds the lookup of "gate" until released, and fails the lookup of "boom". */
  private record FaultyStore(LocalStore store, CountDownLatch entered, CountDownLatch released)
      implements LocalStore {
    @Override
    public byte[] version(String aggregateId) {
      if (aggregateId.equals("gate")) {
        entered.countDown();
        try {
          released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (aggregateId.equals("boom")) {
        throw new PartitionStore.StoreException("injected", new RuntimeException("injected"));
      }
      return store.version(aggregateId);
    }

    @Override
    public byte[] idempotency(String key) {
      return store.idempotency(key);
    }

    @Override
    public PartitionStore.Checkpoint checkpoint() {
      return store.checkpoint();
    }

    @Override
    public void apply(
        Map<String, byte[]> rows, Map<String, byte[]> records, PartitionStore.Checkpoint to) {
      store.apply(rows, records, to);
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
