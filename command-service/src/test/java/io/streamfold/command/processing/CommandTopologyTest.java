package io.streamfold.command.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.aggregate.ExpectedVersion;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.avro.AccountAggregate;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.core.RejectionKind;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTopologyTest {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration WINDOW = Duration.ofHours(24);

  @TempDir Path stateDir;
  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final AccountAggregate accounts = new AccountAggregate(registry, true);
  final Topics topics = Topics.of("", "accounts");
  final CoreSerdes serdes = CoreSerdes.of(registry, true);
  final MutableClock clock = new MutableClock(START);
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> commands;
  TestOutputTopic<String, byte[]> events;
  TestOutputTopic<String, CommandOutcome> results;
  TestOutputTopic<String, byte[]> deadLetters;
  int commandCounter;

  @BeforeEach
  void start() {
    driver = newDriver();
  }

  private TopologyTestDriver newDriver() {
    Topology topology = CommandTopology.build(accounts, topics, serdes, clock, WINDOW);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "command-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    TopologyTestDriver testDriver = new TopologyTestDriver(topology, props, START);
    commands =
        testDriver.createInputTopic(
            topics.commands(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    events =
        testDriver.createOutputTopic(
            topics.events(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    results =
        testDriver.createOutputTopic(
            topics.results(), Serdes.String().deserializer(), serdes.outcomes().deserializer());
    deadLetters =
        testDriver.createOutputTopic(
            topics.commandsDlq(),
            Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer());
    return testDriver;
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  CommandOutcome send(
      String commandId, String aggregateId, ExpectedVersion expected, AccountCommand command) {
    CommandEnvelope<AccountCommand> envelope =
        new CommandEnvelope<>(
            commandId,
            aggregateId,
            expected,
            "corr-" + commandId,
            "alice",
            clock.instant(),
            command);
    commands.pipeInput(aggregateId, accounts.codec().encodeCommand(topics.commands(), envelope));
    List<CommandOutcome> outcomes = results.readValuesToList();
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }

  CommandOutcome send(String aggregateId, ExpectedVersion expected, AccountCommand command) {
    return send("cmd-" + (++commandCounter), aggregateId, expected, command);
  }

  static AccountCommand open() {
    return new AccountCommand.OpenAccount("Ada", "EUR", new BigDecimal("10.00"));
  }

  static AccountCommand deposit(String amount) {
    return new AccountCommand.Deposit(new BigDecimal(amount));
  }

  List<EventEnvelope<AccountEvent>> appendedEvents() {
    return events.readValuesToList().stream().map(accounts.codec()::decodeEvent).toList();
  }

  static void assertAccepted(CommandOutcome outcome, long version) {
    assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.ACCEPTED);
    assertThat(outcome.getVersion()).isEqualTo(version);
  }

  static void assertRejected(CommandOutcome outcome, RejectionKind kind, long currentVersion) {
    assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
    assertThat(outcome.getRejection().getKind()).isEqualTo(kind);
    assertThat(outcome.getVersion()).isEqualTo(currentVersion);
    assertThat(outcome.getEvents()).isEmpty();
  }

  @Test
  void shouldHonourMustNotExist() {
    assertAccepted(send("a", ExpectedVersion.MUST_NOT_EXIST, open()), 1);
    assertRejected(
        send("a", ExpectedVersion.MUST_NOT_EXIST, deposit("1")), RejectionKind.VERSION_MISMATCH, 1);
    assertThat(appendedEvents()).hasSize(1);
  }

  @Test
  void shouldHonourAnExactVersion() {
    send("a", ExpectedVersion.ANY, open());
    assertAccepted(send("a", ExpectedVersion.exactly(1), deposit("1")), 2);
    assertRejected(
        send("a", ExpectedVersion.exactly(1), deposit("1")), RejectionKind.VERSION_MISMATCH, 2);
    assertRejected(
        send("b", ExpectedVersion.exactly(1), deposit("1")), RejectionKind.VERSION_MISMATCH, 0);
    assertAccepted(send("a", ExpectedVersion.exactly(2), deposit("1")), 3);
    assertThat(appendedEvents()).extracting(EventEnvelope::version).containsExactly(1L, 2L, 3L);
  }

  @Test
  void shouldHonourMustExist() {
    assertRejected(send("a", ExpectedVersion.MUST_EXIST, deposit("1")), RejectionKind.NOT_FOUND, 0);
    send("a", ExpectedVersion.ANY, open());
    assertAccepted(send("a", ExpectedVersion.MUST_EXIST, deposit("1")), 2);
  }

  @Test
  void shouldAcceptAnyVersionWhenNoneIsExpected() {
    send("a", ExpectedVersion.ANY, open());
    assertAccepted(send("a", ExpectedVersion.ANY, deposit("1")), 2);
  }

  @Test
  void shouldRejectBusinessRuleViolationsWithoutWritingAnything() {
    send("a", ExpectedVersion.ANY, open());
    appendedEvents();

    CommandOutcome outcome =
        send("a", ExpectedVersion.ANY, new AccountCommand.Withdraw(new BigDecimal("10.01")));

    assertRejected(outcome, RejectionKind.BUSINESS_RULE, 1);
    assertThat(outcome.getRejection().getCode()).isEqualTo("insufficient-funds");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void shouldAnswerARepeatedCommandIdWithTheFirstOutcomeAndAppendNothing() {
    CommandOutcome first = send("same-key", "a", ExpectedVersion.ANY, open());
    assertThat(appendedEvents()).hasSize(1);
    clock.advance(Duration.ofHours(1));

    CommandOutcome repeat = send("same-key", "a", ExpectedVersion.ANY, open());

    assertThat(repeat).isEqualTo(first);
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void shouldForgetCommandIdsAfterTheIdempotencyWindow() {
    send("same-key", "a", ExpectedVersion.ANY, open());
    send("deposit-key", "a", ExpectedVersion.ANY, deposit("1"));
    appendedEvents();
    clock.advance(WINDOW.plusMinutes(1));

    assertAccepted(send("deposit-key", "a", ExpectedVersion.ANY, deposit("1")), 3);
  }

  @Test
  void shouldNumberVersionsContiguouslyAndStampTheDecisionTime() {
    send("a", ExpectedVersion.ANY, open());
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      send("a", ExpectedVersion.ANY, deposit("1"));
    }
    List<TestRecord<String, byte[]>> records = events.readRecordsToList();

    assertThat(records)
        .extracting(r -> accounts.codec().decodeEvent(r.value()).version())
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(records.get(5).timestamp()).isEqualTo(START.plusSeconds(5).toEpochMilli());
    assertThat(accounts.codec().decodeEvent(records.get(5).value()).occurredAt())
        .isEqualTo(START.plusSeconds(5));
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo("a"));
  }

  @Test
  void shouldDeriveEventIdsDeterministicallyFromTheCommand() {
    CommandOutcome outcome = send("cmd-x", "a", ExpectedVersion.ANY, open());
    String id = appendedEvents().get(0).eventId();
    driver.close();
    driver = newDriver(); // a fresh processor with empty stores decides the same command again

    CommandOutcome again = send("cmd-x", "a", ExpectedVersion.ANY, open());

    assertThat(again.getEventIds()).containsExactly(id);
    assertThat(outcome.getEventIds()).containsExactly(id);
    assertThat(id).isEqualTo(EventIds.of("account", "a", "cmd-x", 0));
    assertThat(EventIds.of("account", "b", "cmd-x", 0)).isNotEqualTo(id);
  }

  @Test
  void shouldCarryTheAppendedEventsInTheOutcome() {
    CommandOutcome outcome = send("a", ExpectedVersion.ANY, open());

    byte[] written = events.readValue();
    assertThat(outcome.getEvents()).hasSize(1);
    assertThat(outcome.getEvents().get(0).array()).isEqualTo(written);
  }

  @Test
  void shouldDeadLetterAPoisonCommandAndGoOn() {
    commands.pipeInput("a", "{not avro}".getBytes(StandardCharsets.UTF_8));

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.key()).isEqualTo("a");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not avro}");
    assertThat(header(dead, "streamfold.error.class")).contains("SerializationException");
    assertThat(header(dead, "streamfold.source.topic")).isEqualTo(topics.commands());
    assertThat(results.isEmpty()).isTrue();

    assertAccepted(send("a", ExpectedVersion.ANY, open()), 1);
  }

  @Test
  void shouldRejectACommandWhoseKeyIsNotItsAggregateId() {
    CommandEnvelope<AccountCommand> envelope =
        new CommandEnvelope<>(
            "c1", "a", ExpectedVersion.ANY, "corr", null, clock.instant(), open());
    commands.pipeInput("b", accounts.codec().encodeCommand(topics.commands(), envelope));

    CommandOutcome outcome = results.readValue();
    assertThat(outcome.getRejection().getCode()).isEqualTo("key-mismatch");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void shouldMatchTheCommittedTopologyDescription() throws IOException {
    String described =
        CommandTopology.build(accounts, topics, serdes, clock, WINDOW).describe().toString();
    Path golden = Path.of("src/test/resources/command-topology.txt");
    if (Boolean.getBoolean(
        "golden.update")) { // ./mvnw test -Dgolden.update=true after an intended change
      Files.writeString(golden, described);
    }

    assertThat(described).isEqualTo(Files.readString(golden));
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
