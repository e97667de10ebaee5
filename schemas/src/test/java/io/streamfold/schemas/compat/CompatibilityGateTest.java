package io.streamfold.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibilityGateTest {
  private static final Path SOURCES = Path.of("src/main/avro");
  private static final Path HISTORY = Path.of("history");
  private static final String EVENT = "io.streamfold.schemas.account.AccountEvent";
  private static final String DEPOSITED_AMOUNT =
      "{\"type\": \"record\", \"name\": \"MoneyDeposited\", \"fields\": [\n        {\"name\": \"amount\"";

  @TempDir Path dir;
  Path sources;
  Path history;

  @BeforeEach
  void copyTheRealSchemas() throws IOException {
    sources = dir.resolve("avro");
    history = dir.resolve("history");
    copy(SOURCES, sources);
    copy(HISTORY, history);
  }

  @Test
  void shouldPassOnTheCommittedSchemasAndHistory() {
    assertThat(gate().check()).isEmpty();
  }

  @Test
  void shouldFailNamingTheFieldWhenAFieldWithoutDefaultIsAdded() throws IOException {
    evolveMoneyDeposited("{\"name\": \"note\", \"type\": \"string\"}");

    List<String> failures = gate().check();

    assertThat(failures)
        .isNotEmpty()
        .allSatisfy(
            failure ->
                assertThat(failure)
                    .contains(EVENT)
                    .contains("READER_FIELD_MISSING_DEFAULT")
                    .contains("AccountEvent.payload[MoneyDeposited].note"))
        .anySatisfy(failure -> assertThat(failure).contains("v2.avsc"));
  }

  @Test
  void shouldFailTheBuildEntryPointWithTheSameMessage() throws IOException {
    evolveMoneyDeposited("{\"name\": \"note\", \"type\": \"string\"}");

    assertThatThrownBy(
            () -> CompatibilityGate.main(new String[] {sources.toString(), history.toString()}))
        .hasMessageContaining("AccountEvent.payload[MoneyDeposited].note");
  }

  @Test
  void shouldPassWhenTheNewFieldHasADefault() throws IOException {
    evolveMoneyDeposited(
        "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}");

    assertThat(gate().check()).isEmpty();
  }

  @Test
  void shouldFailWhenAChangeIsNotRecordedInTheHistory() throws IOException {
    Path file = sources.resolve("AccountEvent.avsc");
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                DEPOSITED_AMOUNT,
                DEPOSITED_AMOUNT.replace(
                    "{\"name\": \"amount\"",
                    "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null},\n        {\"name\": \"amount\"")));

    assertThat(gate().check())
        .singleElement()
        .asString()
        .contains("record it as")
        .contains("v5.avsc");
  }

  @Test
  void shouldFailWhenASchemaHasNoHistory() throws IOException {
    Files.writeString(
        sources.resolve("Extra.avsc"),
        "{\"type\": \"record\", \"name\": \"Extra\", \"namespace\": \"x\", \"fields\": []}");

    assertThat(gate().check())
        .singleElement()
        .asString()
        .contains("x.Extra")
        .contains("has no history");
  }

  @Test
  void shouldCheckEveryRecordedVersionNotOnlyTheLatest() throws IOException {
    // v2 removes the default of a field; v3 (current) drops it again: compatible with v2, not with
    // v1
    Path v1 = history.resolve(EVENT).resolve("v1.avsc");
    String withoutPrincipal =
        Files.readString(v1)
            .replace(
                "    {\"name\": \"principal\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"Who issued the command, when authenticated.\"},\n",
                "");
    String withRequiredTrace =
        Files.readString(v1)
            .replace(
                "\"name\": \"principal\", \"type\": [\"null\", \"string\"], \"default\": null,",
                "\"name\": \"principal\", \"type\": [\"null\", \"string\"],");
    assertThat(withRequiredTrace).isNotEqualTo(Files.readString(v1));
    Files.writeString(history.resolve(EVENT).resolve("v2.avsc"), withoutPrincipal);
    Files.writeString(history.resolve(EVENT).resolve("v3.avsc"), withRequiredTrace);
    Files.delete(history.resolve(EVENT).resolve("v4.avsc"));
    Files.writeString(sources.resolve("AccountEvent.avsc"), withRequiredTrace);

    List<String> failures = gate().check();

    assertThat(failures).singleElement().asString().contains("v2.avsc").contains("principal");
  }

  @Test
  void shouldHoldWhatTheCommandServiceReadsBackToFullCompatibility() throws IOException {
    // a new status: new instances read old snapshots, but old instances (still running during a
    // rolling deploy) cannot read a snapshot with it
    evolve(
        "AccountState.avsc",
        "io.streamfold.schemas.account.AccountState",
        "\"symbols\": [\"OPEN\", \"CLOSED\"]",
        "\"symbols\": [\"OPEN\", \"CLOSED\", \"FROZEN\"]");

    assertThat(buildGate().check())
        .isNotEmpty() // against every recorded version
        .allSatisfy(
            failure ->
                assertThat(failure)
                    .contains("AccountState is not FULL_TRANSITIVE compatible")
                    .contains("unreadable by")
                    .contains("FROZEN"));
  }

  @Test
  void shouldLetTheEventsGainANewKindOfEvent() throws IOException {
    // readers (the projections) are upgraded first, so only backward compatibility is needed
    evolve(
        "AccountEvent.avsc",
        EVENT,
        DEPOSITED_AMOUNT,
        "{\"type\": \"record\", \"name\": \"AccountFrozen\", \"fields\": [{\"name\":"
            + " \"reason\", \"type\": \"string\"}]},\n        "
            + DEPOSITED_AMOUNT);

    assertThat(buildGate().check()).isEmpty();
    assertThat(new CompatibilityGate(sources, history, CompatibilityLevel.FULL_TRANSITIVE).check())
        .isNotEmpty()
        .allSatisfy(
            failure ->
                assertThat(failure)
                    .contains("MISSING_UNION_BRANCH")
                    .contains("unreadable by version"));
  }

  /** The levels the build runs the gate with (schemas/pom.xml). */
  private CompatibilityGate buildGate() {
    return new CompatibilityGate(
        sources,
        history,
        CompatibilityLevel.FULL_TRANSITIVE,
        java.util.Map.of(EVENT, CompatibilityLevel.BACKWARD_TRANSITIVE));
  }

  /** Replaces {@code from} by {@code to} in a schema and records the result as v2. */
  private void evolve(String file, String name, String from, String to) throws IOException {
    Path source = sources.resolve(file);
    String evolved = Files.readString(source).replace(from, to);
    assertThat(evolved).isNotEqualTo(Files.readString(source));
    Files.writeString(source, evolved);
    Files.writeString(next(name), evolved);
  }

  private CompatibilityGate gate() {
    return new CompatibilityGate(sources, history, CompatibilityLevel.BACKWARD_TRANSITIVE);
  }

  /** Adds {@code field} to MoneyDeposited and records the result as v2, as a developer would. */
  private void evolveMoneyDeposited(String field) throws IOException {
    Path file = sources.resolve("AccountEvent.avsc");
    String evolved =
        Files.readString(file)
            .replace(
                DEPOSITED_AMOUNT,
                DEPOSITED_AMOUNT.replace(
                    "{\"name\": \"amount\"", field + ",\n        {\"name\": \"amount\""));
    assertThat(evolved).isNotEqualTo(Files.readString(file));
    Files.writeString(file, evolved);
    Files.writeString(next(EVENT), evolved);
  }

  /** Where the next version of {@code name} is recorded. */
  private Path next(String name) throws IOException {
    try (Stream<Path> files = Files.list(history.resolve(name))) {
      return history.resolve(name).resolve("v" + (files.count() + 1) + ".avsc");
    }
  }

  @Test
  void shouldRefuseAChangedDecimalWhichAvroWouldReadWithAnotherMeaning() throws IOException {
    evolve(
        "AccountState.avsc",
        "io.streamfold.schemas.account.AccountState",
        "\"precision\": 18, \"scale\": 2}, \"doc\"",
        "\"precision\": 18, \"scale\": 3}, \"doc\"");

    assertThat(buildGate().check())
        .isNotEmpty()
        .allSatisfy(
            f -> assertThat(f).contains("DECIMAL_MISMATCH").contains("AccountState.balance"));
  }

  @Test
  void shouldRefuseANewMajorVersionWithoutAnUpcaster() throws IOException {
    Path v2 = history.resolve(EVENT).resolve("v2.avsc");
    Files.delete(v2);
    Path source = sources.resolve("AccountEvent.avsc");
    String current = Files.readString(source);
    Files.writeString(v2, current);

    List<String> failures =
        new CompatibilityGate(
                sources,
                history,
                CompatibilityLevel.FULL_TRANSITIVE,
                java.util.Map.of(EVENT, CompatibilityLevel.BACKWARD_TRANSITIVE),
                hidingUpcasters())
            .check();

    assertThat(failures)
        .singleElement()
        .asString()
        .contains(EVENT)
        .contains("major 1 cannot be read as major 2 and no upcaster does it");
  }

  @Test
  void shouldRefuseAMajorChangeRecordedWithoutItsProperty() throws IOException {
    // the same decimals changed within major 1: the gate names the change of meaning
    Path source = sources.resolve("AccountEvent.avsc");
    String unmarked = Files.readString(source).replace("  \"streamfold.major\": 2,\n", "");
    assertThat(unmarked).isNotEqualTo(Files.readString(source));
    Files.writeString(source, unmarked);
    try (Stream<Path> versions = Files.list(history.resolve(EVENT))) {
      for (Path version : versions.toList()) {
        if (!version.getFileName().toString().equals("v1.avsc")) {
          Files.delete(version);
        }
      }
    }
    Files.writeString(history.resolve(EVENT).resolve("v2.avsc"), unmarked);

    assertThat(buildGate().check())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).contains("DECIMAL_MISMATCH"))
        .anySatisfy(f -> assertThat(f).contains("AccountEvent.payload[MoneyDeposited].amount"));
  }

  private static ClassLoader hidingUpcasters() {
    return new ClassLoader(CompatibilityGateTest.class.getClassLoader()) {
      @Override
      public java.util.Enumeration<java.net.URL> getResources(String name) throws IOException {
        return name.endsWith("io.streamfold.schemas.upcast.Upcaster")
            ? java.util.Collections.emptyEnumeration()
            : super.getResources(name);
      }
    };
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
