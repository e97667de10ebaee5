package io.streamfold.command.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfold.bank.account.Account;
import io.streamfold.bank.account.AccountCommand;
import io.streamfold.bank.avro.AccountAggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.command.aggregate.Topics;
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
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    return start(stores, Dirs.temporary("writer-it-"));
  }

  /** One partition, a fresh state directory, and meters the test reads. */
  private CommandWriter<AccountCommand, Account> start(
      java.util.function.UnaryOperator<LocalStore> stores,
      io.micrometer.core.instrument.MeterRegistry meters) {
    return start(stores, Dirs.temporary("writer-it-"), 1, "127.0.0.1:1", meters);
  }

  private CommandWriter<AccountCommand, Account> start(
      java.util.function.UnaryOperator<LocalStore> stores, java.nio.file.Path stateDir) {
    return start(stores, stateDir, 1, "127.0.0.1:1");
  }

  private CommandWriter<AccountCommand, Account> start(
      java.util.function.UnaryOperator<LocalStore> stores,
      java.nio.file.Path stateDir,
      int partitions,
      String server) {
    return start(stores, stateDir, partitions, server, new SimpleMeterRegistry());
  }

  private CommandWriter<AccountCommand, Account> start(
      java.util.function.UnaryOperator<LocalStore> stores,
      java.nio.file.Path stateDir,
      int partitions,
      String server,
      io.micrometer.core.instrument.MeterRegistry meters) {
    new TopicProvisioner(client())
        .ensure(
            List.of(
                new TopicSpec(topics.events(), partitions, (short) 1, Map.of()),
                new TopicSpec(
                    topics.versions(), partitions, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    topics.idempotency(),
                    partitions,
                    (short) 1,
                    Map.of("cleanup.policy", "compact")),
                new TopicSpec(topics.inbox(), partitions, (short) 1, Map.of())));
    return CommandWriter.start(
        accounts,
        new CommandWriter.Settings(
            prefix + "app",
            server,
            topics,
            partitions,
            client(),
            stateDir,
            Duration.ofHours(1),
            100,
            2, // lanes
            100,
            16L * 1024 * 1024),
        registry,
        true,
        Clock.systemUTC(),
        meters,
        stores);
  }

  /** The keys of every event in the log, in order (one partition unless a test asks for more). */
  private List<String> eventKeys() {
    return EventLog.readRaw(SharedStack.broker().bootstrapServers(), topics.events()).stream()
        .map(record -> new String(record.key(), StandardCharsets.UTF_8))
        .toList();
  }

  private static int partitionOf(String id, int partitions) {
    return org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
        % partitions;
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

  /**
   * A round decided while the one before is read back reads that round's outcome, not the store
   * (which has it only once the round is visible): the deposit queued behind the opening is decided
   * ahead, against the account just opened, and sent once the opening is stored.
   */
  @Test
  void shouldDecideTheNextRoundAgainstTheRoundInFlight() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CommandWriter<AccountCommand, Account> writer =
        start(store -> new FaultyStore(store, entered, queued), meters)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      CompletableFuture<CommandOutcome> opened = writer.submit(open("gate-ahead"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<CommandOutcome> deposited = writer.submit(depositAt("gate-ahead", 1));
      queued.countDown();

      assertThat(opened.get(30, TimeUnit.SECONDS).getVersion()).isEqualTo(1);
      CommandOutcome deposit = deposited.get(30, TimeUnit.SECONDS);
      assertThat(deposit.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(deposit.getVersion()).isEqualTo(2);
      assertThat(meters.get("streamfold.writer.rounds.ahead").counter().count()).isEqualTo(1.0);
      assertThat(writer.committed("gate-ahead").version()).isEqualTo(2);
    }
    assertThat(versionsInLog("gate-ahead")).containsExactly(1L, 2L);
  }

  /**
   * Commands queued while the round before is read back join the round decided ahead rather than
   * wait for the round after it: the opening is held in its decision, a keyed deposit queued
   * meanwhile is decided ahead (held there on its key's lookup while a second deposit is queued),
   * and both deposits go in one round.
   */
  @Test
  void shouldAddTheCommandsQueuedMeanwhileToTheRoundDecidedAhead() throws Exception {
    Gate opening = new Gate("gate-more");
    Gate ahead = new Gate("gate-more/first");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CommandWriter<AccountCommand, Account> writer =
        start(store -> new HeldStore(store, opening, ahead), meters)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      CompletableFuture<CommandOutcome> opened = writer.submit(open("gate-more"));
      assertThat(opening.entered().await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<CommandOutcome> first =
          writer.submit(keyed("gate-more", "first", deposit("1.00")));
      opening.released().countDown();
      assertThat(ahead.entered().await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<CommandOutcome> second = writer.submit(depositAt("gate-more", 2));
      ahead.released().countDown();

      assertThat(opened.get(30, TimeUnit.SECONDS).getVersion()).isEqualTo(1);
      assertThat(first.get(30, TimeUnit.SECONDS).getVersion()).isEqualTo(2);
      CommandOutcome last = second.get(30, TimeUnit.SECONDS);
      assertThat(last.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(last.getVersion()).isEqualTo(3);
      io.micrometer.core.instrument.DistributionSummary rounds =
          meters.get("streamfold.writer.batch.commands").summary();
      assertThat(rounds.count()).as("the opening's round, then both deposits'").isEqualTo(2);
      assertThat(rounds.max()).isEqualTo(2.0);
      assertThat(meters.get("streamfold.writer.rounds.ahead").counter().count()).isEqualTo(1.0);
    }
    assertThat(versionsInLog("gate-more")).containsExactly(1L, 2L, 3L);
  }

  /**
   * The round before fails to store what it committed: the partition restores, and the round
   * decided ahead against it is never sent but answered "not applied"; after the restore the same
   * deposit is accepted once.
   */
  @Test
  void shouldDropTheRoundDecidedAheadWhenTheRoundBeforeFailsToStore() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicReference<String> failWrite = new AtomicReference<>("gate-unstored"); // once
    try (CommandWriter<AccountCommand, Account> writer =
        start(store -> new FaultyStore(store, entered, queued, failWrite), meters)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      CompletableFuture<CommandOutcome> opened = writer.submit(open("gate-unstored"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<CommandOutcome> deposited = writer.submit(depositAt("gate-unstored", 1));
      queued.countDown();

      assertThat(opened.get(30, TimeUnit.SECONDS).getVersion()).isEqualTo(1);
      assertThat(failure(deposited)).isEqualTo(WriteFailure.Kind.NOT_APPLIED);
      assertThat(meters.get("streamfold.writer.rounds.ahead").counter().count()).isEqualTo(1.0);
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      CommandOutcome again = decide(writer, depositAt("gate-unstored", 1));
      assertThat(again.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(again.getVersion()).isEqualTo(2);
    }
    assertThat(versionsInLog("gate-unstored")).containsExactly(1L, 2L);
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
    assertThat(eventKeys())
        .as("only what was committed: gate's batch and a's retry")
        .containsExactly("gate", "a");
  }

  /**
   * A round's store write fails after its commit: the round's commands have their outcomes (they
   * are in the log), and no command is decided on the store that missed them. A second opening of
   * the same account, sent while the first one's store write is held, is never accepted (decided on
   * that store it would be, a second version 1), and once the partition has restored the account
   * goes on from version 1.
   */
  @Test
  void shouldDecideNothingOnAStoreThatMissedACommittedRound() throws Exception {
    AtomicReference<String> failWrite = new AtomicReference<>("lost-write");
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    try (CommandWriter<AccountCommand, Account> writer =
        start(store -> new FaultyStore(store, writing, fail, failWrite))) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);

      CompletableFuture<CommandOutcome> first = writer.submit(open("lost-write"));
      assertThat(writing.await(30, TimeUnit.SECONDS)).as("the first round committed").isTrue();
      CompletableFuture<CommandOutcome> second = writer.submit(open("lost-write"));
      fail.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(failWrite.get()).as("the injected failure happened").isNull();
      try {
        assertThat(second.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(OutcomeStatus.REJECTED);
      } catch (ExecutionException e) {
        assertThat(((WriteFailure) e.getCause()).kind())
            .isIn(
                WriteFailure.Kind.NOT_APPLIED,
                WriteFailure.Kind.NOT_READY,
                WriteFailure.Kind.NOT_OWNER);
      }

      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      CommandOutcome deposit =
          writer
              .submit(command("lost-write", new AccountCommand.Deposit(new BigDecimal("5.00"))))
              .get(30, TimeUnit.SECONDS);
      assertThat(deposit.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(deposit.getVersion()).isEqualTo(2);
    }
    assertThat(versionsInLog("lost-write"))
        .as("opened once, then the deposit")
        .containsExactly(1L, 2L);
  }

  /**
   * The group moves a partition to a new instance while a round of the old owner holds it (held
   * here inside its decision for longer than any time-out of the hand-over): the old owner stays a
   * member of the group, so nothing but the hand-over waiting for that round keeps it from
   * committing over the new owner. The new owner serves the partition only after the round, with
   * its write in its store, and the log has the account opened once.
   */
  @Test
  void shouldHandAPartitionOverOnlyAfterTheRoundThatHoldsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    // the cooperative sticky assignor keeps the first of an instance's partitions and moves the
    // last to a newcomer: hold a round of partition 1
    String candidate = "gate";
    for (int i = 0; partitionOf(candidate, 2) != 1; i++) {
      candidate = "gate-" + i;
    }
    String gate = candidate;
    try (CommandWriter<AccountCommand, Account> first =
        start(
            store -> new FaultyStore(store, entered, released),
            Dirs.temporary("writer-it-"),
            2,
            "127.0.0.1:1")) {
      await().atMost(Duration.ofSeconds(60)).until(first::isServing);
      assertThat(first.partitionOf(gate)).isEqualTo(1);
      CompletableFuture<CommandOutcome> held = first.submit(open(gate));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
      try (CommandWriter<AccountCommand, Account> second =
          start(store -> store, Dirs.temporary("writer-it-"), 2, "127.0.0.1:2", secondMeters)) {
        // past every time-out a hand-over had (10 s), and the rebalance after it
        await("partition 1 not served by the newcomer while the old owner's round holds it")
            .during(Duration.ofSeconds(16))
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    !(second.route(gate, Duration.ZERO, true) instanceof CommandWriter.Route.Local
                        && second.isServing()));
        released.countDown();
        // committed and answered: its transaction began once it was decided, so the long decision
        // counts against no time-out of the transaction or of its read-back
        CommandOutcome opened = held.get(30, TimeUnit.SECONDS);
        assertThat(opened.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
        assertThat(opened.getVersion()).isEqualTo(1);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    second.route(gate, Duration.ZERO, true) instanceof CommandWriter.Route.Local
                        && second.isServing());
        assertThat(second.committed(gate).version()).isEqualTo(1);
        CommandOutcome again = second.submit(open(gate)).get(30, TimeUnit.SECONDS);
        assertThat(again.getStatus()).isNotEqualTo(OutcomeStatus.ACCEPTED);
        assertThat(secondMeters.get("streamfold.writer.previous.fenced").counter().count())
            .as("the old owner released the partition after its round, so was not fenced")
            .isZero();
      }
    }
    assertThat(eventKeys().stream().filter(gate::equals).count())
        .as("the held round's account, opened once")
        .isEqualTo(1);
  }

  /**
   * What BrokerRestartIT once saw: a batch's transaction committed on the events partition while
   * its markers never reached the version table and idempotency partitions, where the open
   * transaction was later aborted. The next owner folds the row forward from the log and remembers
   * the command's outcome again, so the client's retry with its key gets the first answer and the
   * log gets no second copy.
   */
  @Test
  void shouldRepairRowsAndOutcomesWhoseEventsCommittedAlone() throws Exception {
    java.nio.file.Path state = Dirs.temporary("writer-it-");
    try (CommandWriter<AccountCommand, Account> writer = start(store -> store, state)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      assertThat(decide(writer, keyed("x", "key-1", open("x").command())).getVersion())
          .isEqualTo(1);
      assertThat(decide(writer, keyed("x", "key-2", deposit("5.00"))).getVersion()).isEqualTo(2);
    }
    CommandEnvelope<AccountCommand> lost = keyed("x", "key-3", deposit("7.00"));
    Decided decided =
        new Decide<>(accounts, topics.events(), lastRow("x")).apply(lost, Instant.now());
    commitAlone(
        decided.events().stream()
            .map(
                event -> {
                  ProducerRecord<String, byte[]> record =
                      new ProducerRecord<>(topics.events(), 0, "x", event);
                  record
                      .headers()
                      .add(Batch.FINGERPRINT_HEADER, lost.fingerprint().getBytes(UTF_8));
                  return record;
                })
            .toList());

    try (CommandWriter<AccountCommand, Account> writer = start(store -> store, state)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      assertThat(writer.committed("x").version()).isEqualTo(3);
      CommandOutcome retried = decide(writer, lost);
      assertThat(retried.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
      assertThat(retried.getVersion()).isEqualTo(3);
      assertThat(retried.getEventIds()).isEqualTo(decided.outcome().getEventIds());
      assertThat(decide(writer, keyed("x", "key-4", deposit("1.00"))).getVersion()).isEqualTo(4);
      assertThat(writer.committed("x").state().balance()).isEqualByComparingTo("23.00");
    }
    assertThat(versionsInLog("x")).containsExactly(1L, 2L, 3L, 4L);
  }

  /**
   * The other way round: a batch's row and remembered outcome committed, its events not. A new
   * owner, restoring from nothing, rebuilds the row from the log and forgets the outcome, so the
   * next event follows the log's last without a gap and the retry is decided again.
   */
  @Test
  void shouldRollBackRowsAndOutcomesWhoseEventsWereLost() throws Exception {
    try (CommandWriter<AccountCommand, Account> writer = start(store -> store)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      assertThat(decide(writer, keyed("y", "key-1", open("y").command())).getVersion())
          .isEqualTo(1);
    }
    CommandEnvelope<AccountCommand> lost = keyed("y", "key-2", deposit("5.00"));
    Decided decided =
        new Decide<>(accounts, topics.events(), lastRow("y")).apply(lost, Instant.now());
    CoreSerdes serdes = CoreSerdes.of(registry, true);
    byte[] mark = currentMark().bytes();
    ProducerRecord<String, byte[]> row =
        new ProducerRecord<>(
            topics.versions(),
            0,
            "y",
            serdes.versions().encode(topics.versions(), decided.newVersion()));
    row.headers().add(Mark.HEADER, mark);
    io.streamfold.schemas.core.IdempotencyRecord remembered =
        io.streamfold.schemas.core.IdempotencyRecord.newBuilder()
            .setAggregateId("y")
            .setIdempotencyKey(lost.commandId())
            .setFingerprint(lost.fingerprint())
            .setOutcome(
                java.nio.ByteBuffer.wrap(
                    serdes.outcomes().encode(topics.idempotency(), decided.outcome())))
            .setRecordedAt(Instant.now())
            .build();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topics.idempotency(),
            0,
            "y/" + lost.commandId(),
            serdes.idempotency().encode(topics.idempotency(), remembered));
    record.headers().add(Mark.HEADER, mark);
    commitAlone(List.of(row, record));

    try (CommandWriter<AccountCommand, Account> writer = start(store -> store)) {
      await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
      assertThat(writer.committed("y").version()).isEqualTo(1);
      assertThat(decide(writer, lost).getVersion()).isEqualTo(2);
    }
    assertThat(versionsInLog("y")).containsExactly(1L, 2L);
  }

  /**
   * A previous writer that did not release its partition (it crashed inside a round, or is a zombie
   * paused past its session time-out) left a transaction open on the version table. The new owner
   * fences that writer's transactional id, named by the partition's claim, before it restores: the
   * open transaction is aborted at once (not after its two-minute time-out, which would keep the
   * partition from serving well past this test's wait), the old producer can commit nothing more,
   * and the claim now names the new owner's lane.
   */
  @Test
  void shouldFenceAPreviousWriterThatDidNotReleaseItsPartition() throws Exception {
    String previous = prefix + "app-accounts-writer@127.0.0.9:1-0";
    try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> zombie =
        previousWriter(previous)) {
      setClaim(Claim.claimedBy(previous));
      zombie.beginTransaction();
      zombie.send(new ProducerRecord<>(topics.versions(), 0, "z", new byte[] {1})).get();

      try (CommandWriter<AccountCommand, Account> writer = start(store -> store)) {
        await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
        assertThat(decide(writer, open("a")).getVersion()).isEqualTo(1);
        assertThat(claim())
            .isEqualTo(Claim.claimedBy(prefix + "app-accounts-writer@127.0.0.1:1-0"));
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(zombie::commitTransaction)
          .isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);
    }
    assertThat(EventLog.readRaw(SharedStack.broker().bootstrapServers(), topics.versions()))
        .extracting(record -> new String(record.key(), UTF_8))
        .as("the fenced writer's open transaction aborted")
        .containsExactly("a");
  }

  /**
   * A writer that released its partition after its last round is not fenced by the next owner: it
   * may still be writing the other partitions of its lane on an instance that lives on.
   */
  @Test
  void shouldLeaveAWriterThatReleasedItsPartitionUnfenced() throws Exception {
    String previous = prefix + "app-accounts-writer@127.0.0.9:1-0";
    try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> released =
        previousWriter(previous)) {
      setClaim(Claim.releasedBy(previous));
      try (CommandWriter<AccountCommand, Account> writer = start(store -> store)) {
        await().atMost(Duration.ofSeconds(60)).until(writer::isServing);
        assertThat(decide(writer, open("a")).getVersion()).isEqualTo(1);
      }
      released.beginTransaction();
      released.send(new ProducerRecord<>(prefix + "elsewhere", 0, "b", new byte[] {1})).get();
      released.commitTransaction();
    }
  }

  /** A transactional producer with {@code transactionalId}, initialised, as a previous writer's. */
  private org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> previousWriter(
      String transactionalId) {
    new TopicProvisioner(client())
        .ensure(List.of(new TopicSpec(prefix + "elsewhere", 1, (short) 1, Map.of())));
    Properties config = client();
    config.put("transactional.id", transactionalId);
    config.put("transaction.timeout.ms", 120_000);
    org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            config,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  /** Sets the claim on partition 0 as a previous writer would have left it. */
  private void setClaim(String metadata) throws Exception {
    new TopicProvisioner(client())
        .ensure(
            List.of(
                new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                new TopicSpec(topics.versions(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    topics.idempotency(), 1, (short) 1, Map.of("cleanup.policy", "compact"))));
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(client())) {
      admin
          .alterConsumerGroupOffsets(
              prefix + "app",
              Map.of(
                  new org.apache.kafka.common.TopicPartition(topics.versions(), 0),
                  new org.apache.kafka.clients.consumer.OffsetAndMetadata(0, metadata)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** The claim on partition 0: the metadata of the ownership group's committed offset. */
  private String claim() throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(client())) {
      return admin
          .listConsumerGroupOffsets(prefix + "app")
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .get(new org.apache.kafka.common.TopicPartition(topics.versions(), 0))
          .metadata();
    }
  }

  private static CommandEnvelope<AccountCommand> keyed(
      String id, String key, AccountCommand command) {
    return new CommandEnvelope<>(
        key, id, ExpectedVersion.ANY, "corr", null, Instant.now(), "fp-" + key, command);
  }

  /** A deposit of 5.00 on {@code id} if it stands at {@code version}. */
  private static CommandEnvelope<AccountCommand> depositAt(String id, long version) {
    return new CommandEnvelope<>(
        UUID.randomUUID().toString(),
        id,
        ExpectedVersion.exactly(version),
        "corr",
        null,
        Instant.now(),
        null,
        deposit("5.00"));
  }

  private static AccountCommand deposit(String amount) {
    return new AccountCommand.Deposit(new BigDecimal(amount));
  }

  private static CommandOutcome decide(
      CommandWriter<AccountCommand, Account> writer, CommandEnvelope<AccountCommand> command)
      throws Exception {
    return writer.submit(command).get(30, TimeUnit.SECONDS);
  }

  /** The aggregate's last row in the version table. */
  private io.streamfold.schemas.core.VersionRecord lastRow(String id) {
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> rows =
        EventLog.readRaw(SharedStack.broker().bootstrapServers(), topics.versions()).stream()
            .filter(r -> new String(r.key(), UTF_8).equals(id))
            .toList();
    return CoreSerdes.of(registry, true).versions().decode(rows.get(rows.size() - 1).value());
  }

  /** The versions of the aggregate's events in the log, in log order. */
  private List<Long> versionsInLog(String id) {
    return EventLog.readRaw(SharedStack.broker().bootstrapServers(), topics.events()).stream()
        .filter(r -> new String(r.key(), UTF_8).equals(id))
        .map(r -> accounts.codec().decodeEvent(r.value()).version())
        .toList();
  }

  /** The end offsets of the three partitions: where a writer's mark stands after a batch. */
  private Mark currentMark() throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(client())) {
      Map<org.apache.kafka.common.TopicPartition, Long> end =
          io.streamfold.service.kafka.Offsets.end(
              admin, List.of(topics.events(), topics.versions(), topics.idempotency()));
      return new Mark(
          end.get(new org.apache.kafka.common.TopicPartition(topics.events(), 0)),
          end.get(new org.apache.kafka.common.TopicPartition(topics.versions(), 0)),
          end.get(new org.apache.kafka.common.TopicPartition(topics.idempotency(), 0)));
    }
  }

  /** Commits {@code records} in one transaction of a producer of its own. */
  private void commitAlone(List<ProducerRecord<String, byte[]>> records) {
    Properties config = client();
    config.put("transactional.id", prefix + "partial");
    try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            config,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      records.forEach(producer::send);
      producer.commitTransaction();
    }
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

  /** Holds the first lookup of {@code key} until released. */
  private record Gate(String key, CountDownLatch entered, CountDownLatch released) {
    Gate(String key) {
      this(key, new CountDownLatch(1), new CountDownLatch(1));
    }

    void pass(String looked) {
      if (looked.equals(key) && entered.getCount() > 0) {
        entered.countDown();
        try {
          released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** A store that passes every call on to {@link #store()}; a test's store overrides the rest. */
  private interface Delegating extends LocalStore {
    LocalStore store();

    @Override
    default byte[] version(String aggregateId) {
      return store().version(aggregateId);
    }

    @Override
    default byte[] idempotency(String key) {
      return store().idempotency(key);
    }

    @Override
    default void forEachVersion(java.util.function.BiConsumer<String, byte[]> action) {
      store().forEachVersion(action);
    }

    @Override
    default PartitionStore.Checkpoint checkpoint() {
      return store().checkpoint();
    }

    @Override
    default void apply(
        Map<String, byte[]> rows, Map<String, byte[]> records, PartitionStore.Checkpoint to) {
      store().apply(rows, records, to);
    }

    @Override
    default void close() {
      store().close();
    }
  }

  /** A store whose version rows and idempotency records pass a gate each before they are read. */
  private record HeldStore(LocalStore store, Gate row, Gate record) implements Delegating {
    @Override
    public byte[] version(String aggregateId) {
      row.pass(aggregateId);
      return store.version(aggregateId);
    }

    @Override
    public byte[] idempotency(String key) {
      record.pass(key);
      return store.idempotency(key);
    }
  }

  /**
   * Holds the lookup of "gate" until released, fails the lookup of "boom", and fails the first
   * write of the row named by {@code failWrite} (if any), once released.
   */
  private record FaultyStore(
      LocalStore store,
      CountDownLatch entered,
      CountDownLatch released,
      AtomicReference<String> failWrite)
      implements Delegating {
    FaultyStore(LocalStore store, CountDownLatch entered, CountDownLatch released) {
      this(store, entered, released, new AtomicReference<>());
    }

    @Override
    public byte[] version(String aggregateId) {
      if (aggregateId.startsWith("gate")) {
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
    public void apply(
        Map<String, byte[]> rows, Map<String, byte[]> records, PartitionStore.Checkpoint to) {
      String failing = failWrite.get();
      if (failing != null && rows.containsKey(failing) && failWrite.compareAndSet(failing, null)) {
        entered.countDown();
        try {
          released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new PartitionStore.StoreException("injected", new RuntimeException("injected"));
      }
      store.apply(rows, records, to);
    }
  }
}
