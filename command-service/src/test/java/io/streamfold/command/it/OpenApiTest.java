package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The document checks themselves: each must be able to fail. */
class OpenApiTest {
  static String document() throws Exception {
    return Files.readString(Path.of("src/main/resources/openapi/command-service.json"));
  }

  @Test
  void shouldFindNothingWrongWithTheCommandServicesDocument() throws Exception {
    assertThat(OpenApi.problems(document())).isEmpty();
  }

  @Test
  void shouldNameEachThingThatMakesADocumentUnusableByTools() throws Exception {
    String broken =
        document()
            .replace("\"operationId\": \"getAccountWriteModel\",", "")
            .replace("\"operationId\": \"liveness\"", "\"operationId\": \"readiness\"")
            .replace("\"servers\":", "\"x-servers\":")
            .replace("\"license\":", "\"x-license\":")
            .replace(
                "\"412\": {\n            \"$ref\": \"#/components/responses/Problem\"\n          }",
                "\"412\": {\n            \"description\": \"plain\"\n          }")
            .replace("\"openapi\": \"3.0.3\"", "\"openapi\": \"3.0.3\", \"paths2\": 1");

    assertThat(OpenApi.problems(broken))
        .contains(
            "GET /api/v1/accounts/{id}: no operationId",
            "GET /health/ready: operationId readiness is used twice",
            "no servers",
            "no license",
            "POST /api/v1/accounts/{id}/{action}: 412 is not the problem+json response")
        .anyMatch(problem -> problem.startsWith("parser: ") && problem.contains("paths2"));
  }
}
