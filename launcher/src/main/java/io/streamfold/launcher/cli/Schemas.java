package io.streamfold.launcher.cli;

import io.streamfold.command.PublishSchemas;
import io.streamfold.launcher.cli.Streamfold.Refused;
import io.streamfold.schemas.compat.CompatibilityLevel;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * {@code streamfold schemas check}: the compatibility gate of the build, against a running
 * registry. For every subject this build writes: whether the schema is registered, the subject's
 * compatibility level beside the one it should have, and whether the registry would accept this
 * build's schema. Exit 1 when one would be refused (and, with {@code --strict}, when a level is not
 * the expected one); {@code --set-levels} sets the expected levels first.
 */
final class Schemas {
  private final Streamfold cli;
  private final Args args;

  Schemas(Streamfold cli, Args args) {
    this.cli = cli;
    this.args = args;
  }

  int run() throws IOException {
    if (args.positional().size() != 2 || !args.positional().get(1).equals("check")) {
      throw new IllegalArgumentException(
          "Usage: streamfold schemas check [--registry URL] [--topic-prefix P] [--set-levels]"
              + " [--strict]");
    }
    String url =
        args.option(
            "registry",
            System.getenv()
                .getOrDefault("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8082/apis/ccompat/v7"));
    String prefix = args.option("topic-prefix", System.getenv().getOrDefault("TOPIC_PREFIX", ""));
    SchemaRegistry registry =
        new HttpSchemaRegistry(url, 2, Duration.ofMillis(200), Duration.ofSeconds(10));
    Map<String, Schema> subjects = PublishSchemas.subjects(prefix);
    Map<String, CompatibilityLevel> expected = PublishSchemas.levels(prefix);
    List<Row> report = new ArrayList<>();
    boolean refused = false;
    boolean levelsDiffer = false;
    try {
      for (Map.Entry<String, Schema> entry : subjects.entrySet()) {
        String subject = entry.getKey();
        if (args.flag("set-levels")) {
          registry.setCompatibility(subject, expected.get(subject));
        }
        OptionalInt id = registry.lookup(subject, entry.getValue());
        CompatibilityLevel level = registry.compatibility(subject);
        SchemaRegistry.CompatibilityCheck check =
            registry.testCompatibility(subject, entry.getValue());
        Row row =
            new Row(
                subject,
                id.isPresent() ? id.getAsInt() : null,
                level.name(),
                expected.get(subject).name(),
                check.compatible(),
                check.messages());
        report.add(row);
        refused |= !check.compatible();
        levelsDiffer |= level != expected.get(subject);
      }
    } catch (RuntimeException e) {
      throw new Refused("The registry at " + url + " failed: " + e.getMessage());
    }
    if (args.flag("json")) {
      cli.out().println(Json.mapper().writeValueAsString(report));
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (Row row : report) {
        rows.add(
            List.of(
                row.subject(),
                row.registeredId() == null ? "no" : "id " + row.registeredId(),
                row.level()
                    + (row.level().equals(row.expectedLevel())
                        ? ""
                        : " (expected " + row.expectedLevel() + ")"),
                row.compatible()
                    ? "yes"
                    : "NO: "
                        + (row.messages().isEmpty()
                            ? "the registry's " + row.level() + " rule refuses it"
                            : String.join("; ", row.messages()))));
      }
      Table.print(cli.out(), List.of("SUBJECT", "REGISTERED", "LEVEL", "COMPATIBLE"), rows);
      cli.out()
          .println(
              refused
                  ? "This build's schemas would be refused: fix them before releasing"
                  : "This build's schemas are compatible with " + url);
      if (levelsDiffer) {
        cli.out()
            .println(
                "Some subjects have a compatibility level other than expected: run with"
                    + " --set-levels to set them");
      }
    }
    return refused || (levelsDiffer && args.flag("strict")) ? 1 : 0;
  }

  /** One subject's line of the report. */
  record Row(
      String subject,
      Integer registeredId,
      String level,
      String expectedLevel,
      boolean compatible,
      List<String> messages) {}
}
