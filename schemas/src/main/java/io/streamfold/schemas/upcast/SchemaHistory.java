package io.streamfold.schemas.upcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * Every recorded version of a schema, {@code <full name>/v1.avsc, v2.avsc, …}: the directory {@code
 * schemas/history} at build time, the same files packaged under {@code streamfold/history/} at run
 * time. The readers use it to find the latest schema of an older major, which an upcaster reads.
 */
public final class SchemaHistory {
  private static final String RESOURCES = "streamfold/history/";

  private final Function<String, List<Schema>> source;
  private final Map<String, List<Schema>> versions = new ConcurrentHashMap<>();

  private SchemaHistory(Function<String, List<Schema>> source) {
    this.source = source;
  }

  public static SchemaHistory fromDirectory(Path dir) {
    return new SchemaHistory(
        name -> {
          List<Schema> found = new ArrayList<>();
          for (int v = 1; Files.exists(dir.resolve(name).resolve("v" + v + ".avsc")); v++) {
            try {
              found.add(
                  new Schema.Parser().parse(dir.resolve(name).resolve("v" + v + ".avsc").toFile()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return List.copyOf(found);
        });
  }

  public static SchemaHistory fromClasspath() {
    ClassLoader loader = SchemaHistory.class.getClassLoader();
    return new SchemaHistory(
        name -> {
          List<Schema> found = new ArrayList<>();
          for (int v = 1; ; v++) {
            try (InputStream in =
                loader.getResourceAsStream(RESOURCES + name + "/v" + v + ".avsc")) {
              if (in == null) {
                return List.copyOf(found);
              }
              found.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }

  /** The recorded versions of a schema, oldest first; empty when it has none. */
  public List<Schema> versions(String fullName) {
    return versions.computeIfAbsent(fullName, source);
  }

  /**
   * The first recorded version of {@code major}: what the upcaster into it writes (later versions
   * of the major are read from it by Avro's resolution, which the build gate checks).
   *
   * @throws IllegalStateException when the history has none
   */
  public Schema firstOfMajor(String fullName, int major) {
    for (Schema version : versions(fullName)) {
      if (Upcasting.major(version) == major) {
        return version;
      }
    }
    throw new IllegalStateException(
        "The schema history holds no version of " + fullName + " of major " + major);
  }

  /**
   * The latest recorded version of {@code major}: what the upcaster out of it reads (every version
   * of the major is resolved to it).
   *
   * @throws IllegalStateException when the history has none
   */
  public Schema latestOfMajor(String fullName, int major) {
    List<Schema> all = versions(fullName);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (Upcasting.major(all.get(i)) == major) {
        return all.get(i);
      }
    }
    throw new IllegalStateException(
        "The schema history holds no version of " + fullName + " of major " + major);
  }
}
