package io.streamfold.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The operations of an OpenAPI document as {@code METHOD /path}, to compare with a server's routes.
 */
public final class OpenApi {
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
}
