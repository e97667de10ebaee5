package io.streamfold.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** JSON answers over real HTTP: gzip when large and asked for, plain otherwise, as before. */
class JsonCompressionTest {
  private static final String LONG = String.join("", Collections.nCopies(400, "abcdefgh"));

  private static HttpResponse<byte[]> get(Javalin app, String path, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (gzip) {
      request.header("Accept-Encoding", "gzip");
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> response) throws IOException {
    if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldCompressLargeJsonAndProblemsWhenAskedAndNothingElse() throws Exception {
    Javalin app =
        LoopbackServer.start(
            config -> {
              Json.install(config);
              config.routes.get("/large", ctx -> ctx.json(Map.of("text", LONG)));
              config.routes.get("/small", ctx -> ctx.json(Map.of("text", "short")));
              config.routes.get(
                  "/problem",
                  ctx -> Problems.write(ctx, Problem.of(409, "conflict", "Conflict", LONG)));
              config.routes.get(
                  "/archive", ctx -> ctx.contentType("application/zip").result(LONG.getBytes()));
            });
    try {
      HttpResponse<byte[]> large = get(app, "/large", true);
      assertThat(large.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(large.body().length).isLessThan(LONG.length() / 4);
      assertThat(body(large)).contains(LONG);
      assertThat(Json.COMPRESSIBLE)
          .as("the answer's type as Javalin checks it: an exact match in the allowed types")
          .contains(large.headers().firstValue("Content-Type").orElseThrow());
      assertThat(get(app, "/large", false).headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(get(app, "/small", true).headers().firstValue("Content-Encoding")).isEmpty();

      HttpResponse<byte[]> problem = get(app, "/problem", true);
      assertThat(problem.statusCode()).isEqualTo(409);
      assertThat(problem.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(body(problem)).contains(LONG);
      assertThat(Json.COMPRESSIBLE)
          .contains(problem.headers().firstValue("Content-Type").orElseThrow());

      assertThat(get(app, "/archive", true).headers().firstValue("Content-Encoding"))
          .as("an archive is not compressed again")
          .isEmpty();
    } finally {
      app.stop();
    }
  }
}
