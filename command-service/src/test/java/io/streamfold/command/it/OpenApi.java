package io.streamfold.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.Json;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of an OpenAPI document as {@code METHOD /path}, to compare with a server's routes,
 * and what makes a document usable by tools (generated clients, linters).
 */
public final class OpenApi {
  private static final String PROBLEM = "#/components/responses/Problem";

  private OpenApi() {}

  public static TreeSet<String> operations(String document) throws IOException {
    TreeSet<String> operations = new TreeSet<>();
    JsonNode paths = Json.mapper().readTree(document).get("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    return operations;
  }

  public static TreeSet<String> routes(List<String> routes) {
    return new TreeSet<>(routes);
  }

  /**
   * Everything wrong with a document, empty when it is fine: what a standard OpenAPI 3 parser
   * reports, no {@code servers} or licence, an operation without a unique {@code operationId}, and
   * an API operation ({@code /api/…}, {@code /internal/…}) whose error answers are not the
   * problem+json response, or that does not document the answers of authentication (401, 403) and
   * rate limiting (429).
   */
  public static List<String> problems(String document) throws IOException {
    List<String> problems = new ArrayList<>();
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
    if (parsed.getMessages() != null) {
      parsed.getMessages().forEach(message -> problems.add("parser: " + message));
    }
    if (parsed.getOpenAPI() == null) {
      problems.add("parser: not an OpenAPI document");
      return problems;
    }
    JsonNode root = Json.mapper().readTree(document);
    if (!root.path("servers").isArray() || root.path("servers").isEmpty()) {
      problems.add("no servers");
    }
    if (root.path("info").path("license").path("name").asText().isEmpty()) {
      problems.add("no license");
    }
    Set<String> ids = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        String id = op.getValue().path("operationId").asText();
        if (id.isEmpty()) {
          problems.add(name + ": no operationId");
        } else if (!ids.add(id)) {
          problems.add(name + ": operationId " + id + " is used twice");
        }
        boolean api = path.getKey().startsWith("/api/") || path.getKey().startsWith("/internal/");
        if (!api) {
          continue;
        }
        JsonNode responses = op.getValue().path("responses");
        for (String required : List.of("401", "403", "429")) {
          if (!responses.has(required)) {
            problems.add(name + ": " + required + " is not documented");
          }
        }
        responses
            .fieldNames()
            .forEachRemaining(
                status -> {
                  if (status.compareTo("400") >= 0
                      && !PROBLEM.equals(responses.path(status).path("$ref").asText())) {
                    problems.add(name + ": " + status + " is not the problem+json response");
                  }
                });
      }
    }
    return problems;
  }
}
