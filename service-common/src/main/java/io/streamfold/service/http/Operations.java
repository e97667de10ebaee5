package io.streamfold.service.http;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The operations endpoints of a service: {@code /metrics} (Prometheus text, from Micrometer: the
 * service's own meters, JVM, and Kafka Streams with its clients) and {@code /openapi.json} (the API
 * document kept beside the code and checked against the routes by a test).
 */
public final class Operations {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private byte[] openApi;

  /**
   * @param openApiResource classpath resource of the service's OpenAPI document
   */
  public Operations(String openApiResource) {
    try (InputStream in = Operations.class.getClassLoader().getResourceAsStream(openApiResource)) {
      if (in == null) {
        throw new IllegalStateException("Missing " + openApiResource);
      }
      openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /**
   * Adds a generic entry for every route the document lacks, a plug-in's ({@code "GET
   * /api/v1/counters/{id}"} → its summary): its path parameters, a JSON body for a POST, a JSON
   * answer, and the problem answers every route may give.
   */
  public Operations documentMissing(java.util.Map<String, String> routes) {
    try {
      com.fasterxml.jackson.databind.node.ObjectNode document =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(openApi);
      com.fasterxml.jackson.databind.node.ObjectNode paths =
          document.get("paths") instanceof com.fasterxml.jackson.databind.node.ObjectNode known
              ? known
              : document.putObject("paths");
      routes.forEach(
          (route, summary) -> {
            String method =
                route.substring(0, route.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            // by property: ObjectNode.with reads a name starting with '/' as a JSON pointer
            com.fasterxml.jackson.databind.node.ObjectNode item =
                paths.get(path) instanceof com.fasterxml.jackson.databind.node.ObjectNode known
                    ? known
                    : paths.putObject(path);
            if (!item.has(method)) {
              item.set(method, genericOperation(method, path, summary));
            }
          });
      openApi = Json.mapper().writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode genericOperation(
      String method, String path, String summary) {
    var json = Json.mapper();
    var operation = json.createObjectNode();
    operation.put("operationId", method + path.replaceAll("[^A-Za-z0-9]+", "-"));
    operation.put("summary", summary);
    var parameters = operation.putArray("parameters");
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{(\\w+)\\}").matcher(path);
    while (names.find()) {
      var parameter = parameters.addObject();
      parameter.put("name", names.group(1)).put("in", "path").put("required", true);
      parameter.putObject("schema").put("type", "string");
    }
    if (method.equals("post")) {
      operation
          .putObject("requestBody")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("type", "object");
    }
    var responses = operation.putObject("responses");
    for (String ok :
        method.equals("post") ? new String[] {"200", "201", "202"} : new String[] {"200"}) {
      responses
          .putObject(ok)
          .put("description", "Answered")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("type", "object");
    }
    for (String problem :
        method.equals("post")
            ? new String[] {"400", "401", "403", "404", "409", "412", "422", "429", "503", "504"}
            : new String[] {"400", "401", "403", "404", "429", "503"}) {
      responses.putObject(problem).put("$ref", "#/components/responses/Problem");
    }
    return operation;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds Kafka Streams' metrics (and those of its embedded clients). */
  public void bind(KafkaStreams streams) {
    new KafkaStreamsMetrics(streams).bindTo(registry);
  }

  public void install(JavalinConfig config) {
    config.routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
  }
}
