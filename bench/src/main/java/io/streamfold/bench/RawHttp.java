package io.streamfold.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over one keep-alive connection, for the load generator: a request is
 * one write and the answer one parse of the status line, headers and body (Content-Length or
 * chunked), a few tens of microseconds of CPU where the JDK's HttpClient costs milliseconds. Not
 * thread-safe: one per load-generating thread.
 */
final class RawHttp implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A response: status, the headers we look at, the body. */
  record Response(int status, String etag, String servedBy, String body) {}

  Response post(String path, String json, String... headers) throws IOException {
    return send("POST", path, json, headers);
  }

  Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  private Response send(String method, String path, String json, String... headers)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(256);
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    request.append(host).append(':').append(port).append("\r\n");
    if (json != null) {
      request.append("Content-Type: application/json\r\nContent-Length: ");
      request.append(body.length).append("\r\n");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("\r\n");
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return read();
      } catch (IOException e) {
        close(); // a connection the server closed while idle: one fresh try
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (status.length() < 12) {
      throw new IOException("Bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    String etag = null;
    String servedBy = null;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("ETag")) {
        etag = value;
      } else if (name.equalsIgnoreCase("X-Streamfold-Served-By")) {
        servedBy = value;
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    String body =
        chunked
            ? chunked()
            : new String(in.readNBytes(Math.max(0, length)), StandardCharsets.UTF_8);
    if (closeAfter) {
      close();
    }
    return new Response(code, etag, servedBy, body);
  }

  private String chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        size > 0;
        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
      body.write(in.readNBytes(size));
      line();
    }
    line();
    return body.toString(StandardCharsets.UTF_8);
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("Connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
