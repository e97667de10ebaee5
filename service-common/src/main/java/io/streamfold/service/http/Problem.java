package io.streamfold.service.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: {@code type} is a stable URI per kind of problem, {@code code} its last
 * segment; extensions add machine-readable detail such as {@code currentVersion}.
 */
public record Problem(
    int status, String code, String title, String detail, Map<String, Object> extensions) {
  public static final String TYPE_BASE = "https://streamfold.io/problems/";
  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem(status, code, title, detail, Map.of());
  }

  /** The same problem with one more extension member. */
  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(status, code, title, detail, more);
  }

  /** The JSON body, {@code instance} being the request path. */
  public Map<String, Object> body(String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + code);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", instance);
    body.putAll(extensions);
    return body;
  }
}
