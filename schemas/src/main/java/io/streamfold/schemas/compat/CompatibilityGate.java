package io.streamfold.schemas.compat;

import io.streamfold.schemas.upcast.SchemaHistory;
import io.streamfold.schemas.upcast.Upcasting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The build-time compatibility gate: every {@code .avsc} under the source directory must have a
 * committed history ({@code <history>/<full name>/v1.avsc}, {@code v2.avsc}, …), must equal its
 * latest recorded version (so the history is complete), and must be compatible at its level with
 * every recorded version of its major version: the default level, or the one given for its full
 * name. A new major version ({@code "streamfold.major"} in the schema) is a change that Avro cannot
 * resolve: it passes only when an upcaster leads from every older major to it and its examples pass
 * ({@link io.streamfold.schemas.upcast.Upcasting#verify}).
 *
 * <p>The build runs it at {@code FULL_TRANSITIVE}, with the event envelope at {@code
 * BACKWARD_TRANSITIVE}. During a rolling deploy old and new instances of the command service run
 * side by side and read each other's version rows, state snapshots and idempotency records, so
 * those must be readable in both directions. Events are read only by the projections (and any other
 * consumer), which are upgraded before the command service (README, "Evolving a schema"): a new
 * reader always meets old data and never the reverse, and adding a kind of event (a union branch,
 * which no old reader can resolve) stays possible.
 *
 * <p>Run by the {@code schemas} module's build ({@code exec:java} in {@code process-classes}); a
 * failure fails the build with a message that names the schema, the field and the rule broken.
 */
public final class CompatibilityGate {
  private final Path sourceDir;
  private final Path historyDir;
  private final CompatibilityLevel level;
  private final Map<String, CompatibilityLevel> levels;
  private final Upcasting upcasting;

  public CompatibilityGate(Path sourceDir, Path historyDir, CompatibilityLevel level) {
    this(sourceDir, historyDir, level, Map.of());
  }

  /**
   * @param levels levels by a schema's full name, where it differs from {@code level}
   */
  public CompatibilityGate(
      Path sourceDir,
      Path historyDir,
      CompatibilityLevel level,
      Map<String, CompatibilityLevel> levels) {
    this(sourceDir, historyDir, level, levels, Thread.currentThread().getContextClassLoader());
  }

  /**
   * @param upcasters where the upcasters are found
   */
  CompatibilityGate(
      Path sourceDir,
      Path historyDir,
      CompatibilityLevel level,
      Map<String, CompatibilityLevel> levels,
      ClassLoader upcasters) {
    this.sourceDir = sourceDir;
    this.historyDir = historyDir;
    this.level = level;
    this.levels = Map.copyOf(levels);
    this.upcasting = Upcasting.load(upcasters, SchemaHistory.fromDirectory(historyDir));
  }

  /**
   * {@code CompatibilityGate <avro source dir> <history dir> [level] [<full name>=<level> …]}
   * (FULL_TRANSITIVE by default).
   */
  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: CompatibilityGate <avro dir> <history dir> [level] [<full name>=<level> ...]");
    }
    CompatibilityLevel level =
        args.length > 2 ? CompatibilityLevel.valueOf(args[2]) : CompatibilityLevel.FULL_TRANSITIVE;
    Map<String, CompatibilityLevel> levels = new TreeMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] nameAndLevel = args[i].split("=", 2);
      levels.put(nameAndLevel[0], CompatibilityLevel.valueOf(nameAndLevel[1]));
    }
    CompatibilityGate gate =
        new CompatibilityGate(Path.of(args[0]), Path.of(args[1]), level, levels);
    List<String> failures = gate.check();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "Schema compatibility gate failed:\n  - " + String.join("\n  - ", failures));
    }
    System.out.println(
        "Schema compatibility gate: "
            + gate.schemaFiles().size()
            + " schemas are compatible with their history ("
            + level
            + (levels.isEmpty() ? "" : ", " + levels)
            + ")");
  }

  /** Every failure found, each a complete sentence; empty when the gate passes. */
  public List<String> check() {
    List<String> failures = new ArrayList<>();
    for (Path file : schemaFiles()) {
      Schema current = parse(file);
      String name = current.getFullName();
      List<Path> history = history(name);
      if (history.isEmpty()) {
        failures.add(
            name
                + " ("
                + file.getFileName()
                + ") has no history: copy it to "
                + historyDir.resolve(name).resolve("v1.avsc"));
        continue;
      }
      List<Schema> versions = history.stream().map(CompatibilityGate::parse).toList();
      CompatibilityLevel required = levels.getOrDefault(name, level);
      int major = Upcasting.major(current);
      int first = -1;
      for (int i = 0; i < versions.size(); i++) {
        int recorded = Upcasting.major(versions.get(i));
        if (i > 0 && recorded < Upcasting.major(versions.get(i - 1))) {
          failures.add(
              name + ": " + history.get(i).getFileName() + " goes back to major " + recorded);
        }
        if (recorded == major && first < 0) {
          first = i;
        }
      }
      List<Schema> peers = first < 0 ? List.of() : versions.subList(first, versions.size());
      for (SchemaProblem problem : required.check(current, peers, first + 1)) {
        failures.add(
            name
                + " is not "
                + required
                + " compatible with "
                + history.get(problem.version() - 1).getFileName()
                + ": "
                + problem);
      }
      int oldest = Upcasting.major(versions.get(0));
      for (int from = oldest; from < major; from++) {
        int next = from + 1;
        Schema source = upcasting.history().latestOfMajor(name, from);
        Schema target =
            versions.stream().filter(v -> Upcasting.major(v) == next).findFirst().orElse(null);
        if (target == null) {
          failures.add(name + ": no version of major " + next + " is recorded in the history");
          continue;
        }
        failures.addAll(upcasting.verify(name, from, source, target));
      }
      Schema latest = versions.get(versions.size() - 1);
      if (!latest.equals(current)) {
        failures.add(
            name
                + " differs from its latest recorded version "
                + history.get(history.size() - 1).getFileName()
                + ": record it as "
                + historyDir.resolve(name).resolve("v" + (versions.size() + 1) + ".avsc")
                + " in the same change");
      }
    }
    return failures;
  }

  List<Path> schemaFiles() {
    try (Stream<Path> files = Files.walk(sourceDir)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> history(String fullName) {
    Path dir = historyDir.resolve(fullName);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
          .sorted(Comparator.comparingInt(CompatibilityGate::versionOf))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int versionOf(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Invalid schema " + file + ": " + e.getMessage(), e);
    }
  }
}
