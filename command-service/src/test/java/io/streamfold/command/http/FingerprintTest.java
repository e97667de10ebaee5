package io.streamfold.command.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamfold.service.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  /** How earlier releases wrote the body: as maps, sorted by Jackson. */
  private static final ObjectMapper PREVIOUS =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void shouldWriteTheBodyInTheBytesOfEarlierReleases() throws Exception {
    for (String body :
        List.of(
            "{}",
            "{\"amount\":\"10.00\"}",
            "{\"owner\":\"Zoë \\\"Z\\\" O'Neil\\n\",\"currency\":\"EUR\",\"initialDeposit\":\"1.5\"}",
            "{\"b\":[3,1.25,-7,12345678901234,123456789012345678901234567890,true,null],"
                + "\"a\":{\"y\":{\"k\":false},\"x\":[{\"q\":1,\"p\":2}]},\"c\":1e300,\"\\u00e9\":0}")) {
      String previous =
          PREVIOUS.writeValueAsString(PREVIOUS.convertValue(json(body), Object.class));
      assertThat(new String(Fingerprint.canonical(json(body)), StandardCharsets.UTF_8))
          .as(body)
          .isEqualTo(previous);
    }
  }

  @Test
  void shouldIgnoreMemberOrderAndSpacingOnly() throws Exception {
    String one =
        Fingerprint.of("deposit", json("{\"a\":1,\"b\":{\"x\":\"y\",\"z\":[1,2]}}"), "\"3\"", null);
    assertThat(
            Fingerprint.of(
                "deposit", json(" { \"b\" : {\"z\":[1, 2],\"x\":\"y\"}, \"a\":1 }"), "\"3\"", null))
        .isEqualTo(one);
    assertThat(
            Fingerprint.of(
                "deposit", json("{\"a\":1,\"b\":{\"x\":\"y\",\"z\":[2,1]}}"), "\"3\"", null))
        .as("array order counts")
        .isNotEqualTo(one);
    assertThat(
            Fingerprint.of(
                "withdraw", json("{\"a\":1,\"b\":{\"x\":\"y\",\"z\":[1,2]}}"), "\"3\"", null))
        .as("the action counts")
        .isNotEqualTo(one);
    assertThat(
            Fingerprint.of(
                "deposit", json("{\"a\":1,\"b\":{\"x\":\"y\",\"z\":[1,2]}}"), "\"4\"", null))
        .as("If-Match counts")
        .isNotEqualTo(one);
    assertThat(
            Fingerprint.of(
                "deposit", json("{\"a\":1,\"b\":{\"x\":\"y\",\"z\":[1,2]}}"), null, "\"3\""))
        .as("which precondition header counts")
        .isNotEqualTo(one);
    assertThat(
            Fingerprint.of(
                "deposit", json("{\"a\":\"1\",\"b\":{\"x\":\"y\",\"z\":[1,2]}}"), "\"3\"", null))
        .as("a string is not a number")
        .isNotEqualTo(one);
  }
}
