package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

/** What every answer to hostile input must be: a 4xx problem+json that says what was wrong. */
public final class Hostile {
  private static final AtomicInteger TRIED = new AtomicInteger();

  private Hostile() {}

  /** Asserts a client error with a problem body; counts the input. */
  public static Http.Response assertRefused(Http.Response response, String input) {
    TRIED.incrementAndGet();
    assertThat(response.status())
        .as("status for %s: %s", input, response.raw().body())
        .isBetween(400, 499);
    assertThat(response.contentType())
        .as("content type for %s", input)
        .startsWith("application/problem+json");
    assertThat(response.json()).as("problem body for %s", input).isNotNull();
    assertThat(response.json().path("status").asInt()).isEqualTo(response.status());
    assertThat(response.json().path("detail").asText()).as("detail for %s", input).isNotBlank();
    return response;
  }

  /** How many hostile inputs were tried in this JVM. */
  public static int tried() {
    return TRIED.get();
  }

  /** Quotes {@code text} as a JSON string. */
  public static String quoted(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
