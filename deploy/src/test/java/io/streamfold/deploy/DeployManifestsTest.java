package io.streamfold.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.projection.config.ProjectionServiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so what can be checked without one is: every file parses; every variable a
 * manifest sets is one the service reads (or the image's JAVA_OPTS, logging's LOG_*, the KAFKA_*
 * passthrough, or a variable other values expand); ports and probe paths match the code.
 */
class DeployManifestsTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Set<String> IMAGE_AND_LOGGING = Set.of("JAVA_OPTS", "LOG_FORMAT", "LOG_LEVEL");
  static final Map<String, Set<String>> VARIABLES =
      Map.of(
          "command-service", CommandServiceConfig.variables(),
          "projection-service", ProjectionServiceConfig.variables());
  static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("command-service", 8080, "projection-service", 8081);

  static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
    }
    return documents;
  }

  static void assertKnown(String service, Map<String, String> env, Set<String> extra) {
    Set<String> expanded = new HashSet<>(extra);
    Matcher reference = Pattern.compile("\\$\\((\\w+)\\)").matcher(String.join(" ", env.values()));
    while (reference.find()) {
      expanded.add(reference.group(1));
    }
    Set<String> unknown = new TreeSet<>();
    for (String name : env.keySet()) {
      if (!VARIABLES.get(service).contains(name)
          && !name.startsWith("KAFKA_")
          && !IMAGE_AND_LOGGING.contains(name)
          && !expanded.contains(name)) {
        unknown.add(name);
      }
    }
    assertThat(unknown).as("variables %s sets that it never reads", service).isEmpty();
  }

  /** The manifest's StatefulSet. */
  static JsonNode statefulSet(List<JsonNode> documents) {
    return documents.stream()
        .filter(d -> d.get("kind").asText().equals("StatefulSet"))
        .findFirst()
        .orElseThrow();
  }

  /** The variables a container sets, by name (a value from elsewhere as empty). */
  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container
        .get("env")
        .forEach(
            variable -> env.put(variable.get("name").asText(), variable.path("value").asText("")));
    return env;
  }

  static Set<String> openApiPaths(String service) throws IOException {
    try (InputStream in =
        DeployManifestsTest.class
            .getClassLoader()
            .getResourceAsStream("openapi/" + service + ".json")) {
      Set<String> paths = new HashSet<>();
      new ObjectMapper().readTree(in).get("paths").fieldNames().forEachRemaining(paths::add);
      return paths;
    }
  }

  @Test
  void shouldKeepTheKubernetesManifestsTrueToTheServices() throws IOException {
    Map<String, String> shared = new HashMap<>();
    for (JsonNode document : documents(Path.of("k8s/config.yaml"))) {
      JsonNode data = document.has("data") ? document.get("data") : document.get("stringData");
      data.fieldNames().forEachRemaining(name -> shared.put(name, data.get(name).asText()));
    }
    for (String service : VARIABLES.keySet()) {
      List<JsonNode> documents = documents(Path.of("k8s/" + service + ".yaml"));
      assertThat(documents)
          .extracting(d -> d.get("kind").asText())
          .contains("StatefulSet", "Service", "PodDisruptionBudget");
      JsonNode set = statefulSet(documents);
      JsonNode container = set.at("/spec/template/spec/containers/0");
      Map<String, String> env = new HashMap<>(shared);
      env.putAll(env(container));
      assertKnown(service, env, Set.of());

      int port = container.at("/ports/0/containerPort").asInt();
      assertThat(env.get("HTTP_PORT")).isEqualTo(Integer.toString(port));
      assertThat(env.get("APPLICATION_SERVER"))
          .endsWith(
              "."
                  + set.at("/spec/serviceName").asText()
                  + ".$(POD_NAMESPACE).svc.cluster.local:"
                  + port);
      Set<String> paths = openApiPaths(service);
      assertThat(paths)
          .contains(
              container.at("/readinessProbe/httpGet/path").asText(),
              container.at("/livenessProbe/httpGet/path").asText());
      assertThat(set.at("/spec/template/metadata/annotations/prometheus.io~1path").asText())
          .isIn(paths);
      assertThat(container.at("/volumeMounts/0/mountPath").asText())
          .isEqualTo(env.get("STATE_DIR"));
    }
  }

  /**
   * The projection service's container holds its heap ({@code MaxRAMPercentage} of the limit), its
   * stores' RocksDB memory ({@code STORE_MEMORY_MB}, outside the heap) and what the JVM needs
   * besides (metaspace, compiled code, thread stacks, the clients' buffers: 384 MiB assumed): a
   * heap share that leaves the stores no room is a container the kernel kills under load.
   */
  @Test
  void shouldLeaveTheProjectionStoresRoomBesideTheHeapWithinTheMemoryLimit() throws IOException {
    JsonNode container =
        statefulSet(documents(Path.of("k8s/projection-service.yaml")))
            .at("/spec/template/spec/containers/0");
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8080/apis/ccompat/v7",
                "KEY_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI="));
    env.putAll(env(container));
    Matcher heapShare =
        Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(env.getOrDefault("JAVA_OPTS", ""));
    assertThat(heapShare.find()).as("the heap is sized from the limit").isTrue();
    String limit = container.at("/resources/limits/memory").asText();
    assertThat(limit).endsWith("Gi");
    long limitMiB = Long.parseLong(limit.substring(0, limit.length() - 2)) * 1024;
    long heapMiB = limitMiB * Long.parseLong(heapShare.group(1)) / 100;
    long storesMiB = ProjectionServiceConfig.fromEnv(env).storeMemoryBytes() >> 20;
    assertThat(heapMiB + storesMiB + 384)
        .as("heap %d MiB, stores %d MiB, the JVM 384 MiB", heapMiB, storesMiB)
        .isLessThanOrEqualTo(limitMiB);
  }

  @Test
  void shouldPublishSchemasWithAMainClassThatExists() throws Exception {
    JsonNode job = documents(Path.of("k8s/publish-schemas-job.yaml")).get(0);
    String command = job.at("/spec/template/spec/containers/0/command/2").asText();
    Matcher main = Pattern.compile("(io\\.streamfold\\.[\\w.]+)").matcher(command);
    assertThat(main.find()).isTrue();
    assertThat(Class.forName(main.group(1)).getMethod("main", String[].class)).isNotNull();
  }

  @Test
  void shouldKeepTheComposeFileTrueToTheServices() throws IOException {
    JsonNode services = documents(Path.of("docker-compose.yml")).get(0).get("services");
    for (String service : VARIABLES.keySet()) {
      JsonNode definition = services.get(service);
      Map<String, String> env = new HashMap<>();
      definition
          .get("environment")
          .fieldNames()
          .forEachRemaining(
              name -> env.put(name, definition.get("environment").get(name).asText()));
      assertKnown(service, env, Set.of());
      assertThat(definition.at("/build/args/SERVICE").asText()).isEqualTo(service);
      assertThat(definition.at("/ports/0").asText())
          .isEqualTo(env.get("HTTP_PORT") + ":" + env.get("HTTP_PORT"));
      assertThat(env.get("APPLICATION_SERVER")).isEqualTo(service + ":" + env.get("HTTP_PORT"));
      assertThat(Integer.parseInt(env.get("HTTP_PORT"))).isEqualTo(DEFAULT_PORTS.get(service));
    }
    assertThat(services.get("registry-compatibility").get("command").toString())
        .contains("BACKWARD");
  }

  @Test
  void shouldBuildImagesOfModulesAndMainClassesThatExist() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile)
        .contains("io.streamfold.$(echo ${SERVICE%-service}).Main")
        .contains("EXPOSE 8080 8081")
        .contains("io.streamfold.launcher.cli.Streamfold")
        .contains("/usr/local/bin/streamfold");
    assertThat(Path.of("../launcher/src/main/java/io/streamfold/launcher/cli/Streamfold.java"))
        .exists();
    for (String service : VARIABLES.keySet()) {
      assertThat(Path.of("..", service, "pom.xml")).exists();
      Class.forName("io.streamfold." + service.replace("-service", "") + ".Main");
    }
  }
}
