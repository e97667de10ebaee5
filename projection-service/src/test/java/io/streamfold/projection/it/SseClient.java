package io.streamfold.projection.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal Server-Sent Events client (one HTTP/1.1 request, read line by line): what a browser's
 * {@code EventSource} does, including its last event id (set by any message with an {@code id:}).
 */
final class SseClient implements AutoCloseable {
  /** One event: its id (the position after it), its type and its data. */
  record Event(String id, String type, String data) {}

  private final java.net.HttpURLConnection connection;
  private final BufferedReader in;
  private final int status;
  private String lastEventId;

  private SseClient(java.net.HttpURLConnection connection, BufferedReader in, int status) {
    this.connection = connection;
    this.in = in;
    this.status = status;
  }

  /** Sends the request and reads the status line and headers. */
  static SseClient open(int port, String pathAndQuery, String lastEventId, Duration readTimeout)
      throws IOException {
    java.net.HttpURLConnection connection =
        (java.net.HttpURLConnection)
            java.net.URI.create("http://127.0.0.1:" + port + pathAndQuery).toURL().openConnection();
    connection.setRequestProperty("Accept", "text/event-stream");
    if (lastEventId != null) {
      connection.setRequestProperty("Last-Event-ID", lastEventId);
    }
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout((int) readTimeout.toMillis());
    int status = connection.getResponseCode();
    java.io.InputStream body =
        status == 200 ? connection.getInputStream() : connection.getErrorStream();
    return new SseClient(
        connection,
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)),
        status);
  }

  int status() {
    return status;
  }

  String header(String name) {
    return connection.getHeaderField(name);
  }

  /** The whole body of an answer that is not a stream (a problem). */
  String body() throws IOException {
    return in.lines().collect(java.util.stream.Collectors.joining("\n"));
  }

  /** The id of the last message that had one. */
  String lastEventId() {
    return lastEventId;
  }

  /** The next event, or null when none came within the read timeout given to {@link #open}. */
  Event next() throws IOException {
    return next(Duration.ofMillis(connection.getReadTimeout()));
  }

  /**
   * The next event (a message with data), or null when none came within {@code within} (keep-alive
   * comments and id-only messages do not count; after a null the connection may be unusable).
   */
  Event next(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    String id = null;
    String type = null;
    StringBuilder data = null;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (data == null && System.nanoTime() > deadline) {
          return null;
        }
        if (line.isEmpty()) { // end of a message
          if (id != null) {
            lastEventId = id;
          }
          if (data != null) {
            return new Event(lastEventId, type == null ? "message" : type, data.toString());
          }
          id = null;
          type = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue; // a comment (keep-alive)
        }
        String field = line.substring(0, line.indexOf(':'));
        String value = line.substring(line.indexOf(':') + 1).stripLeading();
        switch (field) {
          case "id" -> id = value;
          case "event" -> type = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
      throw new IOException("The server ended the stream");
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    connection.disconnect();
  }
}
