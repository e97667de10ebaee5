package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.bank.projection.AccountSummary;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.query.History;
import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.account.MoneyWithdrawn;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectionTopologyTest {
  static final String EVENTS = "accounts.events";
  static final String TRANSFERS = "transfers.events";
  static final String DLQ = "projections.dlq";
  static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");

  @TempDir Path stateDir;
  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final AvroSerde<AccountEvent> writer = AvroSerde.of(AccountEvent.class, registry, true);
  final ProjectionCounters counters = new ProjectionCounters();
  final StoreHandles handles = new StoreHandles();
  final VersionWaiters waiters =
      new VersionWaiters(java.util.concurrent.Executors.newSingleThreadExecutor());
  final VersionWaiters transferWaiters =
      new VersionWaiters(java.util.concurrent.Executors.newSingleThreadExecutor());
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> events;
  TestInputTopic<String, byte[]> replays;
  TestInputTopic<String, byte[]> transfers;
  TestInputTopic<String, byte[]> transferReplays;
  final AvroSerde<io.streamfold.schemas.transfer.TransferEvent> transferWriter =
      AvroSerde.of(io.streamfold.schemas.transfer.TransferEvent.class, registry, true);
  TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    driver = new TopologyTestDriver(topology(), props());
    events =
        driver.createInputTopic(
            EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    replays =
        driver.createInputTopic(
            ProjectionTopology.replayTopic(EVENTS),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    transfers =
        driver.createInputTopic(
            TRANSFERS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    transferReplays =
        driver.createInputTopic(
            ProjectionTopology.replayTopic(TRANSFERS),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    deadLetters =
        driver.createOutputTopic(
            DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }

  /** The production topology, with the bank's views plugged in. */
  org.apache.kafka.streams.Topology topology() {
    return ProjectionTopology.build(
        new io.streamfold.bank.projection.BankProjections().views(),
        collection -> collection + ".events",
        registry,
        java.util.Map.of("account-views", waiters, "transfer-views", transferWaiters),
        counters,
        handles);
  }

  Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projection-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetters.OnDeserialization.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessing.class);
    props.put(DeadLetters.COUNTERS_CONFIG, counters);
    return props;
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  void pipe(String id, long version, Instant at, Object payload) {
    events.pipeInput(new TestRecord<>(id, encode(id, version, at, payload), at));
  }

  /** An event put back from the dead-letter topic: on the replay topic, never the event log. */
  void replay(String id, long version, Instant at, Object payload) {
    replays.pipeInput(new TestRecord<>(id, encode(id, version, at, payload), at));
  }

  byte[] encode(String id, long version, Instant at, Object payload) {
    AccountEvent event =
        AccountEvent.newBuilder()
            .setEventId(id + "-" + version)
            .setAggregateType("account")
            .setAggregateId(id)
            .setVersion(version)
            .setOccurredAt(at)
            .setCommandId("c-" + version)
            .setCorrelationId("corr")
            .setPayload(payload)
            .build();
    return writer.encode(EVENTS, event);
  }

  static BigDecimal money(String value) {
    return new BigDecimal(value);
  }

  KeyValueStore<String, Versioned<AccountSummary>> accounts() {
    return driver.getKeyValueStore("account-views");
  }

  /** An account's view, its version and gaps aside. */
  AccountSummary account(String id) {
    Versioned<AccountSummary> found = accounts().get(id);
    return found == null ? null : found.view();
  }

  /** The entries of an account's history from version 1 on. */
  List<ViewVersion<AccountSummary>> ledger(String id) {
    return History.entries(history(), id, 1, 1000);
  }

  /** The account as it was at {@code asOf}, as {@code GET /api/v1/accounts/{id}?asOf=} finds it. */
  Versioned<AccountSummary> asOf(String id, Instant asOf) {
    ViewVersion<AccountSummary> found =
        History.lastAtOrBefore(
            history(),
            id,
            accounts().get(id).version(),
            asOf,
            ViewVersion::version,
            ViewVersion::time);
    return found == null ? null : found.state();
  }

  @Test
  void shouldFoldEventsIntoTheViewAndKeepEachVersionWithItsEvent() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 2, T0.plusSeconds(60), new MoneyDeposited(money("5.50"), null, null));
    pipe("a", 3, T0.plusSeconds(120), new MoneyWithdrawn(money("0.50"), null, null));

    AccountSummary summary = account("a");
    assertThat(summary.balance()).isEqualByComparingTo("15.00");
    assertThat(accounts().get("a").version()).isEqualTo(3);
    assertThat(summary.transactionCount()).isEqualTo(3);
    assertThat(summary.openedAt()).isEqualTo(T0);
    assertThat(summary.lastActivityAt()).isEqualTo(T0.plusSeconds(120));
    List<ViewVersion<AccountSummary>> ledger = ledger("a");
    assertThat(ledger).extracting(ViewVersion::version).containsExactly(1L, 2L, 3L);
    assertThat(ledger)
        .extracting(entry -> entry.state().view().balance().toPlainString())
        .containsExactly("10.00", "15.50", "15.00");
    assertThat(ledger.get(2).time()).isEqualTo(T0.plusSeconds(120));
    assertThat(ledger.get(2).event()).isEqualTo(encode("a", 3, T0.plusSeconds(120), WITHDRAWAL));
    assertThat(History.entries(history(), "a", 2, 1))
        .extracting(ViewVersion::version)
        .containsExactly(2L);
  }

  static final MoneyWithdrawn WITHDRAWAL = new MoneyWithdrawn(money("0.50"), null, null);

  @Test
  void shouldHoldTheRunningTasksStoresForReadsAndLetThemGoOnClose() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));

    org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Versioned<AccountSummary>> held =
        handles.get("account-views", 0);
    assertThat(held.get("a").view().balance()).isEqualByComparingTo("10.00");
    assertThat(handles.<ViewVersion<AccountSummary>>get("account-views-history", 0)).isNotNull();

    driver.close();

    assertThat(handles.<Versioned<AccountSummary>>get("account-views", 0)).isNull();
    assertThat(handles.<ViewVersion<AccountSummary>>get("account-views-history", 0)).isNull();
    start(); // a fresh driver for the closing in stop()
  }

  @Test
  void shouldSkipDuplicatesByVersion() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 2, T0, new MoneyDeposited(money("5.00"), null, null));
    pipe("a", 2, T0, new MoneyDeposited(money("5.00"), null, null));
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));

    assertThat(account("a").balance()).isEqualByComparingTo("15.00");
    assertThat(account("a").transactionCount()).isEqualTo(2);
    assertThat(counters.duplicates()).isEqualTo(2);
    assertThat(byCurrency("EUR")).isEqualTo("1 {balance=15.00, closed=0, open=1}");
  }

  @Test
  void shouldCountAndRecordAGap() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 4, T0, new MoneyDeposited(money("1.00"), null, null));

    assertThat(counters.gaps()).isEqualTo(1);
    assertThat(accounts().get("a").missingVersions()).isEqualTo(2);
    assertThat(accounts().get("a").version()).isEqualTo(4);
  }

  @Test
  void shouldFillAGapWhenTheMissingVersionIsReplayedAsIfItHadComeInItsTurn() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe(
        "a",
        3,
        T0.plusSeconds(3),
        new MoneyWithdrawn(money("3.00"), null, null)); // 2 was dead-lettered
    pipe("a", 4, T0.plusSeconds(4), new MoneyDeposited(money("1.00"), null, null));
    assertThat(accounts().get("a").missingVersions()).isEqualTo(1);
    assertThat(account("a").balance()).isEqualByComparingTo("8.00");

    replay("a", 2, T0.plusSeconds(2), new MoneyDeposited(money("5.00"), null, null));

    // the same log, in order, into account b: what a rebuild would hold
    pipe("b", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("b", 2, T0.plusSeconds(2), new MoneyDeposited(money("5.00"), null, null));
    pipe("b", 3, T0.plusSeconds(3), new MoneyWithdrawn(money("3.00"), null, null));
    pipe("b", 4, T0.plusSeconds(4), new MoneyDeposited(money("1.00"), null, null));
    Versioned<AccountSummary> filled = accounts().get("a");
    assertThat(filled.view().balance()).isEqualByComparingTo("13.00");
    assertThat(filled.missingVersions()).isZero();
    assertThat(filled).isEqualTo(accounts().get("b"));
    List<ViewVersion<AccountSummary>> filledHistory = ledger("a");
    List<ViewVersion<AccountSummary>> inOrderHistory = ledger("b");
    assertThat(filledHistory).extracting(ViewVersion::version).containsExactly(1L, 2L, 3L, 4L);
    assertThat(filledHistory)
        .extracting(e -> e.state().view().balance().toPlainString())
        .containsExactly("10.00", "15.00", "12.00", "13.00");
    for (int i = 0; i < 4; i++) {
      assertThat(filledHistory.get(i).state()).isEqualTo(inOrderHistory.get(i).state());
      assertThat(filledHistory.get(i).timestamp()).isEqualTo(inOrderHistory.get(i).timestamp());
    }
    assertThat(byCurrency("EUR")).isEqualTo("2 {balance=26.00, closed=0, open=2}");
    assertThat(counters.filled()).isEqualTo(1);

    replay(
        "a", 2, T0.plusSeconds(2), new MoneyDeposited(money("5.00"), null, null)); // replayed twice

    assertThat(accounts().get("a")).isEqualTo(filled);
    assertThat(byCurrency("EUR")).isEqualTo("2 {balance=26.00, closed=0, open=2}");
    assertThat(counters.filled()).isEqualTo(1);
    assertThat(counters.duplicates()).isEqualTo(1);
  }

  @Test
  void shouldFillAMissingOpeningWithTheOwnerTheCurrencyAndTheTotals() {
    pipe("a", 2, T0.plusSeconds(2), new MoneyDeposited(money("5.00"), null, null));
    pipe("a", 3, T0.plusSeconds(3), new AccountClosed("done"));
    assertThat(account("a").currency()).isNull();
    assertThat(byCurrency("EUR")).isNull();

    replay("a", 1, T0, new AccountOpened("sealed-ada", "EUR", money("10.00"), "ada"));

    AccountSummary summary = account("a");
    assertThat(summary.owner()).isEqualTo("sealed-ada");
    assertThat(summary.currency()).isEqualTo("EUR");
    assertThat(summary.status()).isEqualTo("CLOSED");
    assertThat(summary.balance()).isEqualByComparingTo("15.00");
    assertThat(accounts().get("a").missingVersions()).isZero();
    assertThat(summary.openedAt()).isEqualTo(T0);
    assertThat(byCurrency("EUR")).isEqualTo("1 {balance=15.00, closed=1, open=0}");
    assertThat(ownersAccounts("ada")).containsExactly("a");
  }

  @Test
  void shouldSkipAReplayedVersionTheViewAlreadyHas() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 2, T0, new MoneyDeposited(money("5.00"), null, null));

    replay("a", 2, T0, new MoneyDeposited(money("5.00"), null, null));
    replay(
        "a", 3, T0, new MoneyDeposited(money("1.00"), null, null)); // newer: applied like any event

    assertThat(account("a").balance()).isEqualByComparingTo("16.00");
    assertThat(counters.duplicates()).isEqualTo(1);
    assertThat(counters.filled()).isZero();
  }

  @Test
  void shouldKeepTheMoneyPerCurrencyAfterAMixedSequence() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("b", 1, T0, new AccountOpened("Bob", "EUR", money("0.00"), null));
    pipe("c", 1, T0, new AccountOpened("Cy", "USD", money("7.00"), null));
    pipe("a", 2, T0, new MoneyDeposited(money("2.50"), null, null));
    pipe("b", 2, T0, new AccountClosed("bye"));
    pipe("c", 2, T0, new MoneyWithdrawn(money("7.00"), null, null));

    assertThat(byCurrency("EUR")).isEqualTo("2 {balance=12.50, closed=1, open=1}");
    assertThat(byCurrency("USD")).isEqualTo("1 {balance=0.00, closed=0, open=1}");
  }

  @Test
  void shouldIndexAccountsByTheirOwnersSubjectNeverByAName() {
    pipe("a", 1, T0, new AccountOpened("sealed-1", "EUR", money("1.00"), "ada"));
    pipe("b", 1, T0, new AccountOpened("sealed-2", "USD", money("1.00"), "ada"));
    pipe("c", 1, T0, new AccountOpened("sealed-3", "EUR", money("1.00"), "bob"));
    pipe("d", 1, T0, new AccountOpened("Dee", "EUR", money("1.00"), null)); // before subjects

    KeyValueStore<String, String> index = driver.getKeyValueStore("account-views-by-ownerId");
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> it = index.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    assertThat(ownersAccounts("ada")).containsExactly("a", "b");
    assertThat(ownersAccounts("bob")).containsExactly("c");
    assertThat(keys).hasSize(3).noneMatch(key -> key.contains("sealed") || key.contains("Dee"));
    assertThat(account("a").ownerId()).isEqualTo("ada");
  }

  @Test
  void shouldAnswerAsOfWithTheStateAfterTheLastVersionAtOrBeforeTheTime() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    for (int v = 2; v <= 40; v++) {
      pipe("a", v, T0.plusSeconds(60L * v), new MoneyDeposited(money("1.00"), null, null));
    }

    assertThat(asOf("a", T0.minusMillis(1))).isNull();
    assertThat(asOf("a", T0).version()).isEqualTo(1);
    for (int v = 2; v <= 40; v++) {
      Versioned<AccountSummary> exactly = asOf("a", T0.plusSeconds(60L * v));
      assertThat(exactly.version()).isEqualTo(v);
      assertThat(exactly.view().balance())
          .isEqualByComparingTo(money("10.00").add(money(v - 1 + "")));
      assertThat(exactly.view().transactionCount()).isEqualTo(v);
      assertThat(exactly.view().lastActivityAt()).isEqualTo(T0.plusSeconds(60L * v));
      assertThat(exactly.view().owner()).isEqualTo("Ada");
      assertThat(asOf("a", T0.plusSeconds(60L * v).minusMillis(1)).version()).isEqualTo(v - 1);
    }
    assertThat(asOf("a", T0.plusSeconds(86_400))).isEqualTo(accounts().get("a"));
  }

  @Test
  void shouldAnswerAsOfWithAPrefixOfTheStreamWhenAnOldWriterClockWentBack() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 2, T0.plusSeconds(3600), new MoneyDeposited(money("5.00"), null, null));
    pipe(
        "a",
        3,
        T0.plusSeconds(1800),
        new MoneyDeposited(money("1.00"), null, null)); // a clock went back
    pipe("a", 4, T0.plusSeconds(7200), new MoneyWithdrawn(money("2.00"), null, null));

    // version 3 cannot have happened before version 2: it counts from version 2's time
    assertThat(asOf("a", T0.plusSeconds(1900)).version()).isEqualTo(1);
    Versioned<AccountSummary> afterThree = asOf("a", T0.plusSeconds(3600));
    assertThat(afterThree.version()).isEqualTo(3);
    assertThat(afterThree.view().balance()).isEqualByComparingTo("16.00");
    assertThat(ledger("a")).extracting(ViewVersion::time).isSorted();
    assertThat(asOf("a", T0.plusSeconds(7199)).version()).isEqualTo(3);
    assertThat(asOf("a", T0.plusSeconds(7200))).isEqualTo(accounts().get("a"));

    // once the projector has forgotten the account's last time, it reads its last entry's
    for (int i = 0; i < Recent.VIEWS; i++) {
      pipe("other-" + i, 1, T0, new AccountOpened("Bo", "EUR", money("1.00"), null));
    }
    pipe("a", 5, T0.plusSeconds(60), new MoneyDeposited(money("1.00"), null, null));
    assertThat(ledger("a").get(4).time()).isEqualTo(T0.plusSeconds(7200));
  }

  @Test
  void shouldAnswerAsOfAcrossAGap() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    pipe("a", 5, T0.plusSeconds(500), new MoneyDeposited(money("1.00"), null, null));
    pipe("a", 6, T0.plusSeconds(600), new MoneyDeposited(money("1.00"), null, null));

    assertThat(asOf("a", T0.plusSeconds(499)).version()).isEqualTo(1);
    assertThat(asOf("a", T0.plusSeconds(500)).missingVersions()).isEqualTo(3);
    assertThat(asOf("a", T0.plusSeconds(599)).version()).isEqualTo(5);
  }

  @Test
  void shouldDeadLetterAPoisonEventWithHeadersAndApplyLaterEvents() {
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    events.pipeInput("a", "not avro at all".getBytes(StandardCharsets.UTF_8));
    pipe("a", 2, T0, new MoneyDeposited(money("1.00"), null, null));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
    assertThat(dead.headers().lastHeader("__streams.errors.exception")).isNotNull();
    assertThat(
            new String(
                dead.headers().lastHeader("__streams.errors.topic").value(),
                StandardCharsets.UTF_8))
        .isEqualTo(EVENTS);
    assertThat(counters.deadLetters()).isEqualTo(1);
    assertThat(accounts().get("a").version()).isEqualTo(2);
  }

  @Test
  void shouldWakeAReaderWaitingForAVersion() throws Exception {
    var waiting = waiters.await("a", 2);
    pipe("a", 1, T0, new AccountOpened("Ada", "EUR", money("10.00"), null));
    assertThat(waiting).isNotDone();

    pipe("a", 2, T0, new MoneyDeposited(money("1.00"), null, null));

    assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
    org.awaitility.Awaitility.await().until(() -> waiters.size() == 0);
  }

  byte[] transferEvent(String id, long version, Object payload) {
    io.streamfold.schemas.transfer.TransferEvent event =
        io.streamfold.schemas.transfer.TransferEvent.newBuilder()
            .setEventId(id + "-" + version)
            .setAggregateType("transfer")
            .setAggregateId(id)
            .setVersion(version)
            .setOccurredAt(T0.plusSeconds(version))
            .setCommandId("c-" + version)
            .setCorrelationId("corr")
            .setPayload(payload)
            .build();
    return transferWriter.encode(TRANSFERS, event);
  }

  void pipeTransfer(String id, long version, Object payload) {
    transfers.pipeInput(
        new TestRecord<>(id, transferEvent(id, version, payload), T0.plusSeconds(version)));
  }

  io.streamfold.projection.plugin.Versioned<io.streamfold.bank.projection.TransferView> transfer(
      String id) {
    KeyValueStore<
            String,
            io.streamfold.projection.plugin.Versioned<io.streamfold.bank.projection.TransferView>>
        views = driver.getKeyValueStore("transfer-views");
    return views.get(id);
  }

  static final io.streamfold.schemas.transfer.TransferRequested REQUESTED =
      new io.streamfold.schemas.transfer.TransferRequested(
          "a", "b", money("10.0000"), "EUR", T0.plusSeconds(60));

  @Test
  void shouldFollowATransferToItsEndAndSkipARepeatedEvent() throws Exception {
    var waiting = transferWaiters.await("t1", 4);
    pipeTransfer("t1", 1, REQUESTED);
    pipeTransfer("t1", 2, new io.streamfold.schemas.transfer.CreditAccountVerified());
    pipeTransfer("t1", 3, new io.streamfold.schemas.transfer.TransferDebited());
    assertThat(transfer("t1").view().status()).isEqualTo("CREDITING");
    assertThat(waiting).isNotDone();
    pipeTransfer("t1", 4, new io.streamfold.schemas.transfer.TransferCompleted());
    pipeTransfer("t1", 3, new io.streamfold.schemas.transfer.TransferDebited());

    var stored = transfer("t1");
    var view = stored.view();
    assertThat(view.status()).isEqualTo("COMPLETED");
    assertThat(stored.version()).isEqualTo(4);
    assertThat(view.amount()).isEqualByComparingTo("10.00");
    assertThat(view.from()).isEqualTo("a");
    assertThat(view.requestedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(counters.duplicates()).isEqualTo(1);
    assertThat(waiters.size()).isZero(); // the accounts' waiters are not the transfers'
  }

  @Test
  void shouldShowWhyATransferWasRefundedAndCountAGap() {
    pipeTransfer("t2", 1, REQUESTED);
    pipeTransfer(
        "t2", 4, new io.streamfold.schemas.transfer.RefundStarted("account-closed", "b is closed"));
    pipeTransfer("t2", 5, new io.streamfold.schemas.transfer.TransferRefunded());

    var stored = transfer("t2");
    assertThat(stored.view().status()).isEqualTo("REFUNDED");
    assertThat(stored.view().reasonCode()).isEqualTo("account-closed");
    assertThat(stored.missingVersions()).isEqualTo(2);
    assertThat(counters.gaps()).isEqualTo(1);
  }

  @Test
  void shouldKeepEveryVersionOfAViewThatAsksForItsHistoryAndFindItsStateAtATime() {
    pipeTransfer("t4", 1, REQUESTED); // each at T0 + its version in seconds
    pipeTransfer("t4", 3, new io.streamfold.schemas.transfer.TransferDebited()); // 2 is missing
    pipeTransfer("t4", 4, new io.streamfold.schemas.transfer.TransferCompleted());
    pipeTransfer("t4", 3, new io.streamfold.schemas.transfer.TransferDebited()); // a duplicate
    pipeTransfer("t5", 1, REQUESTED);

    KeyValueStore<String, ViewVersion<io.streamfold.bank.projection.TransferView>> history =
        driver.getKeyValueStore("transfer-views-history");
    List<Long> versions = new ArrayList<>();
    try (var it =
        history.range(
            StoreNames.historyKey("t4", 0), StoreNames.historyKey("t4", Long.MAX_VALUE))) {
      it.forEachRemaining(entry -> versions.add(entry.value.version()));
    }
    assertThat(versions).containsExactly(1L, 3L, 4L);
    java.util.function.Function<Instant, ViewVersion<io.streamfold.bank.projection.TransferView>>
        asOf =
            at ->
                History.lastAtOrBefore(
                    history, "t4", 4, at, ViewVersion::version, ViewVersion::time);
    assertThat(asOf.apply(T0.plusMillis(999))).isNull();
    assertThat(asOf.apply(T0.plusSeconds(1)).state().view().status()).isEqualTo("REQUESTED");
    assertThat(asOf.apply(T0.plusMillis(2999)).version()).isEqualTo(1);
    var debited = asOf.apply(T0.plusSeconds(3));
    assertThat(debited.version()).isEqualTo(3);
    assertThat(debited.state().missingVersions()).isEqualTo(1);
    assertThat(debited.time()).isEqualTo(T0.plusSeconds(3));
    assertThat(asOf.apply(T0.plusSeconds(60)).state()).isEqualTo(transfer("t4"));
    assertThat(transfer("t4").view().status()).isEqualTo("COMPLETED");
    assertThat(history.get(StoreNames.historyKey("t4", 3)).event()) // for stream reads
        .isEqualTo(transferEvent("t4", 3, new io.streamfold.schemas.transfer.TransferDebited()));
  }

  @Test
  void shouldFillAGapOfAViewWithHistoryWhenItsEventIsReplayed() {
    var verified = new io.streamfold.schemas.transfer.CreditAccountVerified();
    pipeTransfer("t6", 1, REQUESTED); // version 2 was dead-lettered: a gap
    pipeTransfer("t6", 3, new io.streamfold.schemas.transfer.TransferDebited());
    pipeTransfer("t6", 4, new io.streamfold.schemas.transfer.TransferCompleted());
    assertThat(transfer("t6").missingVersions()).isEqualTo(1);
    pipeTransfer("t7", 1, REQUESTED); // the same transfer with nothing lost
    pipeTransfer("t7", 2, verified);
    pipeTransfer("t7", 3, new io.streamfold.schemas.transfer.TransferDebited());
    pipeTransfer("t7", 4, new io.streamfold.schemas.transfer.TransferCompleted());

    transferReplays.pipeInput(
        new TestRecord<>("t6", transferEvent("t6", 2, verified), T0.plusSeconds(2)));

    assertThat(counters.filled()).isEqualTo(1);
    assertThat(transfer("t6")).isEqualTo(transfer("t7"));
    KeyValueStore<String, ViewVersion<io.streamfold.bank.projection.TransferView>> history =
        driver.getKeyValueStore("transfer-views-history");
    for (long version = 1; version <= 4; version++) {
      var filled = history.get(StoreNames.historyKey("t6", version));
      var inOrder = history.get(StoreNames.historyKey("t7", version));
      assertThat(filled.state()).as("version %d", version).isEqualTo(inOrder.state());
      assertThat(filled.time()).isEqualTo(inOrder.time());
      assertThat(filled.event()).isNotNull();
    }
    assertThat(history.get(StoreNames.historyKey("t6", 2)).state().view().status())
        .isEqualTo("DEBITING");
    KeyValueStore<String, GroupTotal> byStatus =
        driver.getKeyValueStore("transfer-views-totals-byStatus");
    assertThat(byStatus.get("COMPLETED").count()).isEqualTo(2); // moved, not counted again

    transferReplays.pipeInput( // replayed twice: the view has it now
        new TestRecord<>("t6", transferEvent("t6", 2, verified), T0.plusSeconds(2)));
    assertThat(counters.filled()).isEqualTo(1);
    assertThat(counters.duplicates()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterAReplayThatCannotBeFoldedAgain() {
    pipeTransfer("t8", 1, REQUESTED);
    pipeTransfer("t8", 3, new io.streamfold.schemas.transfer.TransferDebited());
    KeyValueStore<String, ViewVersion<io.streamfold.bank.projection.TransferView>> history =
        driver.getKeyValueStore("transfer-views-history");
    String three = StoreNames.historyKey("t8", 3);
    history.put(three, new ViewVersion<>(history.get(three).timestamp(), transfer("t8"), null));

    transferReplays.pipeInput(
        new TestRecord<>(
            "t8",
            transferEvent("t8", 2, new io.streamfold.schemas.transfer.CreditAccountVerified()),
            T0.plusSeconds(2)));

    assertThat(deadLetters.readRecordsToList()).hasSize(1); // with the reason: rebuild
    assertThat(transfer("t8").missingVersions()).isEqualTo(1);
    assertThat(counters.filled()).isZero();
  }

  @Test
  void shouldReadAViewHistoryEntryWrittenBeforeTheHistoryKeptEvents() {
    var view = new io.streamfold.bank.projection.TransferViews();
    var serde = ViewProjections.historySerde(view);
    var state =
        new io.streamfold.projection.plugin.Versioned<>(
            2,
            1,
            new io.streamfold.bank.projection.TransferView(
                "a", "b", money("1.50"), "EUR", "CREDITING", null, null, false, T0, T0));
    byte[] stored = ViewProjections.serde(view).serializer().serialize("t", state);
    byte[] formatOne =
        java.nio.ByteBuffer.allocate(1 + Long.BYTES + stored.length)
            .put((byte) 1)
            .putLong(42)
            .put(stored)
            .array();

    ViewVersion<io.streamfold.bank.projection.TransferView> old =
        serde.deserializer().deserialize("t", formatOne);
    assertThat(old.timestamp()).isEqualTo(42);
    assertThat(old.state()).isEqualTo(state);
    assertThat(old.event()).isNull(); // a stream read of it answers 503 stream-not-indexed

    byte[] event = {0, 0, 0, 0, 7, 1, 2, 3};
    ViewVersion<io.streamfold.bank.projection.TransferView> now =
        serde
            .deserializer()
            .deserialize(
                "t", serde.serializer().serialize("t", new ViewVersion<>(43, state, event)));
    assertThat(now.timestamp()).isEqualTo(43);
    assertThat(now.state()).isEqualTo(state);
    assertThat(now.event()).isEqualTo(event);
  }

  @Test
  void shouldDeadLetterAnUnreadableTransferEventAndGoOn() {
    transfers.pipeInput(new TestRecord<>("t3", new byte[] {0, 0, 0, 0, 9, 9}, T0));
    pipeTransfer("t3", 1, REQUESTED);

    assertThat(deadLetters.readRecordsToList()).hasSize(1);
    assertThat(transfer("t3").view().status()).isEqualTo("REQUESTED");
  }

  @Test
  void shouldMatchTheCommittedTopologyDescription() throws IOException {
    String described = topology().describe().toString();
    Path golden = Path.of("src/test/resources/projection-topology.txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, described);
    }

    assertThat(described).isEqualTo(Files.readString(golden));
  }

  private KeyValueStore<String, ViewVersion<AccountSummary>> history() {
    return driver.getKeyValueStore("account-views-history");
  }

  /** A currency's group of the accounts' total, as "count {sums}"; null when it has none. */
  private String byCurrency(String currency) {
    KeyValueStore<String, GroupTotal> totals =
        driver.getKeyValueStore("account-views-totals-byCurrency");
    GroupTotal total = totals.get(currency);
    return total == null ? null : total.count() + " " + total.sums();
  }

  /** The ids the owner index holds under a subject, in order. */
  private List<String> ownersAccounts(String subject) {
    KeyValueStore<String, String> index = driver.getKeyValueStore("account-views-by-ownerId");
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        index.prefixScan(subject + "\u0000", Serdes.String().serializer())) {
      it.forEachRemaining(kv -> ids.add(kv.value));
    }
    return ids;
  }
}
